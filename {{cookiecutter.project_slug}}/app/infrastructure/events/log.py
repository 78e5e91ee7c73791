"""Appending to and reading from the event log.

Why a reader never skips a position
-----------------------------------
Projectors remember the last position they applied and next ask for events after it, up to the
log's head. If transaction A took position 7 and transaction B took 8, and B committed first, a
projector that took 8 as the head would apply it, move its checkpoint to 8 and never see 7 when
A commits a moment later.

On PostgreSQL one advisory lock key guards this, in two modes. Every append takes it shared
(`pg_advisory_xact_lock_shared`) before it draws positions and holds it until its transaction
ends, so appends do not wait for each other (only one that must read its aggregates' versions
from the log takes it exclusively, as those versions must not race). The head is read by the
`event_log_head` function (migration 0001), which takes the same key exclusively, so it first
waits until every append in flight has committed or rolled back, then reads `max(position)`
under a new snapshot, then lets the lock go: every position at or below that head is committed
and visible or rolled back for good, and appends that start later draw higher positions. A
reader that stays within the head therefore sees everything below it that will ever exist.
Waiting costs the reader at most the end of the appends already in flight, and holds new
appends back only for that long, once per read of the head rather than once per append; it
relies on READ COMMITTED (each statement its own snapshot), and the function refuses any other
isolation level. On SQLite the write engine's `BEGIN IMMEDIATE` already lets one writer in at
a time, and the head is plain `max(position)`.

Every append must go through `append_events`; a raw INSERT into `event_log` would bypass the
lock. Rolled-back appends leave harmless holes in the sequence, which readers simply pass over.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Dialect,
    Integer,
    Select,
    Table,
    Text,
    TextClause,
    bindparam,
    cast,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.cqrs.events import DomainEvent
from app.infrastructure.db.array_insert import ArrayInsert
from app.infrastructure.db.transaction_statements import (
    ConnectionStatements,
    TransactionStatements,
    statements_on,
)
from app.infrastructure.events.codec import encode_payload
from app.infrastructure.events.stored import StoredEvent
from app.infrastructure.events.tables import event_log

# Any fixed 64-bit number works, as long as nothing else uses it: these are the bytes "evtappnd".
APPEND_LOCK_KEY = int.from_bytes(b"evtappnd", "big", signed=True)

# Exclusive: reading aggregate versions must not race another append taking the same ones.
_take_append_lock = text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=APPEND_LOCK_KEY)

_insert_events = insert(event_log).returning(event_log.c.position, sort_by_parameter_order=True)

_latest_versions = (
    select(event_log.c.aggregate_id, func.max(event_log.c.aggregate_version))
    .where(event_log.c.aggregate_id.in_(bindparam("aggregate_ids", expanding=True)))
    .group_by(event_log.c.aggregate_id)
)

_head = select(func.coalesce(func.max(event_log.c.position), 0))
# See the module docstring: the head once every append in flight has finished.
_head_after_appends = select(
    func.event_log_head(bindparam("key", APPEND_LOCK_KEY, type_=BigInteger), type_=BigInteger)
)

_read_columns = (
    event_log.c.position,
    event_log.c.event_type,
    event_log.c.schema_version,
    event_log.c.aggregate_id,
    event_log.c.aggregate_version,
    # As text, decoded here: asyncpg returns JSON as text, the engine as decoded values.
    cast(event_log.c.payload, Text).label("payload"),
    event_log.c.occurred_at,
)


_EVENT_COLUMNS = (
    "event_type",
    "schema_version",
    "aggregate_id",
    "aggregate_version",
    "payload",
    "occurred_at",
)

# Rows of other tables that must commit with the events (the audited unit of work's rows).
RowsToInsert = tuple[Table, Sequence[Mapping[str, Any]]]


async def append_events(
    target: TransactionStatements | AsyncConnection,
    events: Sequence[DomainEvent],
    *,
    with_rows: Sequence[RowsToInsert] = (),
) -> list[int]:
    """Write `events` in order in the transaction of `target`; return their positions.

    `target` is a unit of work's statements, or a connection inside a transaction.
    `with_rows` are inserted too: on PostgreSQL in the same statement (one round trip for
    everything a command writes at commit), elsewhere just before.
    """
    statements = statements_on(target)
    if statements.dialect.name == "postgresql":
        return await _append_on_postgresql(statements, events, with_rows)
    connection = _connection_of(statements)
    for table, rows in with_rows:
        if rows:
            await connection.execute(insert(table), rows[0] if len(rows) == 1 else list(rows))
    if not events:
        return []
    versions = await _aggregate_versions(statements, events)
    rows = [_event_row(event, version) for event, version in zip(events, versions, strict=True)]
    result = await connection.execute(_insert_events, rows)
    return list(result.scalars())


async def _append_on_postgresql(
    statements: TransactionStatements,
    events: Sequence[DomainEvent],
    with_rows: Sequence[RowsToInsert],
) -> list[int]:
    if not events and not any(rows for _, rows in with_rows):
        return []
    if any(declared_version(event) is None for event in events):
        # Versions continue the aggregates' log: read them under the lock, so that no other
        # append can take the same versions in between.
        await statements.execute(_take_append_lock)
    versions = await _aggregate_versions(statements, events)
    return await _append_in_one_statement(statements, events, versions, with_rows)


def _connection_of(statements: TransactionStatements) -> AsyncConnection:
    if not isinstance(statements, ConnectionStatements):
        raise TypeError("outside PostgreSQL, events are appended on a SQLAlchemy connection")
    return statements.connection


def _event_row(event: DomainEvent, version: int | None) -> dict[str, Any]:
    return {
        "event_type": event.event_type(),
        "schema_version": event.schema_version,
        "aggregate_id": event.aggregate_id,
        "aggregate_version": version,
        "payload": encode_payload(event),
        "occurred_at": event.occurred_at,
    }


async def _append_in_one_statement(
    statements: TransactionStatements,
    events: Sequence[DomainEvent],
    versions: Sequence[int | None],
    with_rows: Sequence[RowsToInsert],
) -> list[int]:
    others = [(table, rows) for table, rows in with_rows if rows]
    shape = tuple((table, tuple(rows[0])) for table, rows in others)
    one_row = len(events) == 1 and all(len(rows) == 1 for _, rows in others)
    statement, inserts = _one_statement(statements.dialect, shape, one_row=one_row)
    parameters: dict[str, Any] = {"key": APPEND_LOCK_KEY}
    event_rows = [
        _event_row(event, version) for event, version in zip(events, versions, strict=True)
    ]
    parameters.update(inserts[-1].parameters(event_rows))
    for array_insert, (_, rows) in zip(inserts[:-1], others, strict=True):
        parameters.update(array_insert.parameters(rows))
    returned = await statements.fetch_all(statement, parameters)
    # One sequence, drawn row by row in array order: ascending positions are the events' order.
    return sorted(row[0] for row in returned)


@functools.cache
def _one_statement(
    dialect: Dialect, others: tuple[tuple[Table, tuple[str, ...]], ...], *, one_row: bool
) -> tuple[TextClause, tuple[ArrayInsert, ...]]:
    """The statement (and its parts) for events plus rows of `others`, built once per shape;
    `one_row`: one event and one row of each other table (a command's usual commit)."""
    inserts = [
        ArrayInsert(table, columns, dialect, prefix=f"r{index}_", one_row=one_row)
        for index, (table, columns) in enumerate(others)
    ]
    events = ArrayInsert(event_log, _EVENT_COLUMNS, dialect, prefix="e_", one_row=one_row)
    ctes = ", ".join(f"r{index} AS ({part.sql()})" for index, part in enumerate(inserts))
    # The lock (shared: appends do not exclude each other) is joined to the events' rows:
    # PostgreSQL takes it before producing the first row, so before drawing any position.
    sql = events.sql(joined_to="(SELECT pg_advisory_xact_lock_shared(:key)) AS append_lock")
    sql = f"{'WITH ' + ctes + ' ' if ctes else ''}{sql} RETURNING position"
    return text(sql), (*inserts, events)


async def log_head(target: TransactionStatements | AsyncConnection) -> int:
    """The highest position written so far (0 for an empty log), with nothing below it still to
    commit; on PostgreSQL, waits for the appends in flight (see the module docstring)."""
    statements = statements_on(target)
    head = _head_after_appends if statements.dialect.name == "postgresql" else _head
    row = await statements.fetch_one(head)
    assert row is not None  # an aggregate always returns its row
    return int(row[0])


async def read_events(
    target: TransactionStatements | AsyncConnection,
    *,
    after: int,
    up_to: int | None = None,
    event_types: Collection[str] | None = None,
    limit: int,
) -> list[StoredEvent]:
    """Events with `after < position <= up_to`, oldest first, optionally of some types only."""
    parameters: dict[str, Any] = {"after": after, "limit": limit}
    if up_to is not None:
        parameters["up_to"] = up_to
    if event_types is not None:
        parameters["event_types"] = sorted(event_types)
    statement = _reading(bounded=up_to is not None, typed=event_types is not None)
    rows = await statements_on(target).fetch_all(statement, parameters)
    return [
        StoredEvent(position, event_type, schema, aggregate_id, version, json.loads(payload), at)
        for position, event_type, schema, aggregate_id, version, payload, at in rows
    ]


@functools.cache
def _reading(*, bounded: bool, typed: bool) -> Select[Any]:
    """The read statement for each shape of `read_events`, built once (projectors run it often)."""
    statement = select(*_read_columns).where(event_log.c.position > bindparam("after"))
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
    statements: TransactionStatements, events: Sequence[DomainEvent]
) -> list[int]:
    """Versions for the events: declared ones as given, the rest continue the aggregate's log."""
    undeclared = {event.aggregate_id for event in events if declared_version(event) is None}
    latest: dict[str, int] = {}
    if undeclared:
        rows = await statements.fetch_all(_latest_versions, {"aggregate_ids": sorted(undeclared)})
        latest = {aggregate_id: int(version) for aggregate_id, version in rows}
    versions: list[int] = []
    for event in events:
        version = declared_version(event)
        if version is None:
            version = latest.get(event.aggregate_id, 0) + 1
        latest[event.aggregate_id] = max(version, latest.get(event.aggregate_id, 0))
        versions.append(version)
    return versions
