"""Appending to and reading from the event log.

Why positions never commit out of order
---------------------------------------
Projectors remember the last position they applied and next ask for events after it. If
transaction A took position 7 and transaction B took 8, and B committed first, a projector could
apply 8, move its checkpoint to 8 and never see 7 when A commits a moment later.

So appends are serialized: on PostgreSQL every append first takes one transaction-scoped
advisory lock (`pg_advisory_xact_lock`), then draws its positions. The lock is held until the
transaction ends, and PostgreSQL makes a commit visible before it releases the transaction's
locks; so whoever draws the next positions does so after every lower position is either
committed and visible or rolled back for good. Position order is commit order, and a reader that
sees position N sees everything below it that will ever exist. The appending unit of work takes
the lock as its last step before COMMIT, and when the events state their aggregate versions
(the usual case) the lock and the INSERT are one statement: every round trip inside the
serialized stretch waits for this process's event loop as well, and under load that wait, not
the database, bounds how many commands per second get through. On SQLite the write engine's
`BEGIN IMMEDIATE` already lets one writer in at a time.

Every append must go through `append_events`; a raw INSERT into `event_log` would bypass the
lock. Rolled-back appends leave harmless holes in the sequence, which readers simply pass over.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.cqrs.events import DomainEvent
from app.infrastructure.db.types import require_aware
from app.infrastructure.events.codec import encode_payload
from app.infrastructure.events.stored import StoredEvent
from app.infrastructure.events.tables import event_log

# Any fixed 64-bit number works, as long as nothing else uses it: these are the bytes "evtappnd".
APPEND_LOCK_KEY = int.from_bytes(b"evtappnd", "big", signed=True)

_take_append_lock = text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=APPEND_LOCK_KEY)

_insert_events = insert(event_log).returning(event_log.c.position, sort_by_parameter_order=True)

# The lock joined to the rows: PostgreSQL evaluates it before producing the first row, and so
# before any position is drawn from the sequence (drawn per row, in array order).
_lock_and_insert_events = text(
    """
    INSERT INTO event_log
        (event_type, schema_version, aggregate_id, aggregate_version, payload, occurred_at)
    SELECT e.event_type, e.schema_version, e.aggregate_id, e.aggregate_version,
           CAST(e.payload AS jsonb), e.occurred_at
    FROM (SELECT pg_advisory_xact_lock(:key)) AS append_lock,
         unnest(CAST(:event_types AS text[]), CAST(:schema_versions AS integer[]),
                CAST(:aggregate_ids AS text[]), CAST(:aggregate_versions AS integer[]),
                CAST(:payloads AS text[]), CAST(:occurred_at AS timestamptz[]))
             AS e(event_type, schema_version, aggregate_id, aggregate_version, payload, occurred_at)
    RETURNING position
    """
)

_head = select(func.coalesce(func.max(event_log.c.position), 0))

_read_columns = (
    event_log.c.position,
    event_log.c.event_type,
    event_log.c.schema_version,
    event_log.c.aggregate_id,
    event_log.c.aggregate_version,
    event_log.c.payload,
    event_log.c.occurred_at,
)


async def append_events(connection: AsyncConnection, events: Sequence[DomainEvent]) -> list[int]:
    """Write `events` in order in the connection's transaction; return their positions."""
    if not events:
        return []
    postgresql = connection.dialect.name == "postgresql"
    declared = [declared_version(event) for event in events]
    if postgresql and None not in declared:
        return await _lock_and_insert(connection, events, declared)
    if postgresql:
        await connection.execute(_take_append_lock)
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
    result = await connection.execute(_insert_events, rows)
    return list(result.scalars())


async def _lock_and_insert(
    connection: AsyncConnection, events: Sequence[DomainEvent], versions: Sequence[int | None]
) -> list[int]:
    parameters = {
        "key": APPEND_LOCK_KEY,
        "event_types": [event.event_type() for event in events],
        "schema_versions": [event.schema_version for event in events],
        "aggregate_ids": [event.aggregate_id for event in events],
        "aggregate_versions": list(versions),
        "payloads": [json.dumps(encode_payload(event)) for event in events],
        "occurred_at": [require_aware(event.occurred_at) for event in events],
    }
    result = await connection.execute(_lock_and_insert_events, parameters)
    # One sequence, drawn row by row in array order: ascending positions are the events' order.
    return sorted(result.scalars())


async def log_head(connection: AsyncConnection) -> int:
    """The highest position written so far (0 for an empty log)."""
    return int((await connection.execute(_head)).scalar_one())


async def read_events(
    connection: AsyncConnection,
    *,
    after: int,
    up_to: int | None = None,
    event_types: Collection[str] | None = None,
    limit: int,
) -> list[StoredEvent]:
    """Events with `after < position <= up_to`, oldest first, optionally of some types only."""
    statement = select(*_read_columns).where(event_log.c.position > after)
    if up_to is not None:
        statement = statement.where(event_log.c.position <= up_to)
    if event_types is not None:
        statement = statement.where(
            event_log.c.event_type.in_(bindparam("event_types", expanding=True))
        )
    statement = statement.order_by(event_log.c.position).limit(limit)
    parameters: dict[str, Any] = {}
    if event_types is not None:
        parameters["event_types"] = sorted(event_types)
    result = await connection.execute(statement, parameters)
    return [StoredEvent(*row) for row in result]


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
        statement = (
            select(event_log.c.aggregate_id, func.max(event_log.c.aggregate_version))
            .where(event_log.c.aggregate_id.in_(sorted(undeclared)))
            .group_by(event_log.c.aggregate_id)
        )
        latest = {
            aggregate_id: int(version)
            for aggregate_id, version in await connection.execute(statement)
        }
    versions: list[int] = []
    for event in events:
        version = declared_version(event)
        if version is None:
            version = latest.get(event.aggregate_id, 0) + 1
        latest[event.aggregate_id] = max(version, latest.get(event.aggregate_id, 0))
        versions.append(version)
    return versions
