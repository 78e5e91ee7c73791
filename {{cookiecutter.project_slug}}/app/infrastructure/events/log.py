"""Appending to and reading from the event log.

Why a reader never skips an event
---------------------------------
Projectors remember the last position they applied and next read the events after it. If
transaction A drew position 7 and transaction B position 8, and B committed first, a projector
reading in between would apply 8, move its checkpoint past 7, and never see 7 once A commits.

So appends take turns. On PostgreSQL every append first takes one transaction-level advisory
lock (`pg_advisory_xact_lock`), held until its COMMIT or ROLLBACK; the next append draws its
positions only after that, so positions become visible in order and a reader that sees a
position sees every committed one below it. The unit of work appends as its last step before
COMMIT, so the lock is held for about two statements. On SQLite the write engine's
`BEGIN IMMEDIATE` already lets one writer in at a time.

Every append must go through `append_events`: a raw INSERT into `event_log` would bypass the
lock. Rolled-back appends leave holes in the sequence, which readers pass over.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.cqrs.events import DomainEvent
from app.infrastructure.events.codec import encode_payload
from app.infrastructure.events.stored import StoredEvent
from app.infrastructure.events.tables import event_log

# Any fixed 64-bit number works, as long as nothing else uses it: these are the bytes "evtappnd".
APPEND_LOCK_KEY = int.from_bytes(b"evtappnd", "big", signed=True)


async def append_events(connection: AsyncConnection, events: Sequence[DomainEvent]) -> list[int]:
    """Write `events` in order in the connection's transaction; return their positions."""
    if not events:
        return []
    if connection.dialect.name == "postgresql":
        await connection.execute(select(func.pg_advisory_xact_lock(APPEND_LOCK_KEY)))
    # Under the lock, so no other append can take the same aggregate versions in between.
    versions = await _aggregate_versions(connection, events)
    rows = [
        {
            "event_type": event.event_type(),
            "schema_version": event.schema_version,
            "aggregate_id": event.aggregate_id,
            "aggregate_version": version,
            "payload": encode_payload(event),
            "occurred_at": event.occurred_at,
        }
        for event, version in zip(events, versions, strict=True)
    ]
    statement = insert(event_log).returning(event_log.c.position, sort_by_parameter_order=True)
    return list((await connection.execute(statement, rows)).scalars())


async def log_head(connection: AsyncConnection) -> int:
    """The highest position committed so far (0 for an empty log)."""
    head = await connection.scalar(select(func.coalesce(func.max(event_log.c.position), 0)))
    return int(head or 0)


async def read_events(
    connection: AsyncConnection,
    *,
    after: int,
    up_to: int | None = None,
    event_types: Collection[str] | None = None,
    limit: int,
) -> list[StoredEvent]:
    """Events with `after < position <= up_to`, oldest first, optionally of some types only."""
    statement = select(*event_log.c).where(event_log.c.position > after)
    if up_to is not None:
        statement = statement.where(event_log.c.position <= up_to)
    if event_types is not None:
        statement = statement.where(event_log.c.event_type.in_(sorted(event_types)))
    rows = await connection.execute(statement.order_by(event_log.c.position).limit(limit))
    return [StoredEvent(*row) for row in rows]


def declared_version(event: DomainEvent) -> int | None:
    """The aggregate version an event states itself (an `aggregate_version` field), if any."""
    version = getattr(event, "aggregate_version", None)
    return version if isinstance(version, int) and not isinstance(version, bool) else None


async def _aggregate_versions(
    connection: AsyncConnection, events: Sequence[DomainEvent]
) -> list[int]:
    """Versions for the events: declared ones as given, the rest continue the aggregate's log."""
    undeclared = {event.aggregate_id for event in events if declared_version(event) is None}
    latest: dict[str, int] = {}
    if undeclared:
        rows = await connection.execute(
            select(event_log.c.aggregate_id, func.max(event_log.c.aggregate_version))
            .where(event_log.c.aggregate_id.in_(sorted(undeclared)))
            .group_by(event_log.c.aggregate_id)
        )
        latest = {aggregate_id: int(version) for aggregate_id, version in rows}
    versions: list[int] = []
    for event in events:
        version = declared_version(event)
        if version is None:
            version = latest.get(event.aggregate_id, 0) + 1
        latest[event.aggregate_id] = max(version, latest.get(event.aggregate_id, 0))
        versions.append(version)
    return versions
