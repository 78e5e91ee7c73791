"""Appending to and reading from the event log.

Why a reader never skips an event
---------------------------------
Projectors remember the last position they applied and next read the events after it, up to
the log's head. If transaction A drew position 7 and transaction B position 8, and B committed
first, a projector taking 8 as the head would apply it, move its checkpoint past 7, and never
see 7 once A commits.

On PostgreSQL one advisory lock guards this, in two modes. Every append takes it shared
(`pg_advisory_xact_lock_shared`) before it draws positions and holds it until its transaction
ends, so appends do not wait for each other. `log_head` reads `max(position)` in a statement
that also takes the lock exclusively, so it answers only once every append that was in flight
when the statement began has committed or rolled back: every position at or below the head it
returns (all drawn before that) is then committed, or gone for good. The statement runs in a
transaction of its own, which lets the lock go at once. (An append whose events do not state
their versions reads them from the log, and takes the lock exclusively so that no other append
takes the same versions in between.) On SQLite the write engine's `BEGIN IMMEDIATE` already
lets one writer in at a time.

Every append must go through `append_events`: a raw INSERT into `event_log` would bypass the
lock. Rolled-back appends leave holes in the sequence, which readers pass over.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.cqrs.events import DomainEvent
from app.infrastructure.events.codec import encode_payload
from app.infrastructure.events.stored import StoredEvent
from app.infrastructure.events.tables import event_log

# Any fixed 64-bit number works, as long as nothing else uses it: these are the bytes "evtappnd".
APPEND_LOCK_KEY = int.from_bytes(b"evtappnd", "big", signed=True)

# Built once: every command that records events runs them.
_lock_shared = select(func.pg_advisory_xact_lock_shared(APPEND_LOCK_KEY))
_lock_exclusive = select(func.pg_advisory_xact_lock(APPEND_LOCK_KEY))
_insert = insert(event_log).returning(event_log.c.position, sort_by_parameter_order=True)
_latest_versions = (
    select(event_log.c.aggregate_id, func.max(event_log.c.aggregate_version))
    .where(event_log.c.aggregate_id.in_(bindparam("aggregate_ids", expanding=True)))
    .group_by(event_log.c.aggregate_id)
)
# One event whose version is stated, the usual command: the shared lock is taken by the same
# statement, in its FROM clause, so before the INSERT draws the position.
_EVENT_COLUMNS = (
    "event_type",
    "schema_version",
    "aggregate_id",
    "aggregate_version",
    "payload",
    "occurred_at",
)
_insert_one_locked = (
    insert(event_log)
    .from_select(
        _EVENT_COLUMNS,
        select(
            *(bindparam(name, type_=event_log.c[name].type).label(name) for name in _EVENT_COLUMNS)
        ).select_from(_lock_shared.subquery("append_lock")),
    )
    .returning(event_log.c.position)
)
_head = select(func.coalesce(func.max(event_log.c.position), 0))
_head_after_appends = _head.add_columns(func.pg_advisory_xact_lock(APPEND_LOCK_KEY))


async def append_events(connection: AsyncConnection, events: Sequence[DomainEvent]) -> list[int]:
    """Write `events` in order in the connection's transaction; return their positions."""
    if not events:
        return []
    on_postgresql = connection.dialect.name == "postgresql"
    stated = all(declared_version(event) is not None for event in events)
    if on_postgresql and stated and len(events) == 1:
        row = _row(events[0], declared_version(events[0]))
        return list((await connection.execute(_insert_one_locked, row)).scalars())
    if on_postgresql:
        await connection.execute(_lock_shared if stated else _lock_exclusive)
    versions = await _aggregate_versions(connection, events)
    rows = [_row(event, version) for event, version in zip(events, versions, strict=True)]
    return list((await connection.execute(_insert, rows)).scalars())


def _row(event: DomainEvent, version: int | None) -> dict[str, Any]:
    return {
        "event_type": event.event_type(),
        "schema_version": event.schema_version,
        "aggregate_id": event.aggregate_id,
        "aggregate_version": version,
        "payload": encode_payload(event),
        "occurred_at": event.occurred_at,
    }


async def log_head(engine: AsyncEngine) -> int:
    """The highest position written so far (0 for an empty log), with nothing below it still
    to commit; on PostgreSQL it waits for the appends in flight (see the module docstring)."""
    async with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            head = (await autocommit.execute(_head_after_appends)).scalar()
        else:
            head = await connection.scalar(_head)
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
    values: dict[str, Any] = {"after": after, "limit": limit}
    if up_to is not None:
        values["up_to"] = up_to
    if event_types is not None:
        values["event_types"] = sorted(event_types)
    statement = _reading(bounded=up_to is not None, typed=event_types is not None)
    return [StoredEvent(*row) for row in await connection.execute(statement, values)]


@cache
def _reading(*, bounded: bool, typed: bool) -> Select[Any]:
    """The read statement for each shape of `read_events`, built once (projectors run it often)."""
    statement = select(*event_log.c).where(event_log.c.position > bindparam("after"))
    if bounded:
        statement = statement.where(event_log.c.position <= bindparam("up_to"))
    if typed:
        statement = statement.where(
            event_log.c.event_type.in_(bindparam("event_types", expanding=True))
        )
    return statement.order_by(event_log.c.position).limit(bindparam("limit", type_=Integer))


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
        rows = await connection.execute(_latest_versions, {"aggregate_ids": sorted(undeclared)})
        latest = {aggregate_id: int(version) for aggregate_id, version in rows}
    versions: list[int] = []
    for event in events:
        version = declared_version(event)
        if version is None:
            version = latest.get(event.aggregate_id, 0) + 1
        latest[event.aggregate_id] = max(version, latest.get(event.aggregate_id, 0))
        versions.append(version)
    return versions
