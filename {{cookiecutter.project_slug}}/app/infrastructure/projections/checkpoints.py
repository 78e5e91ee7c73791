"""Claiming and moving projection checkpoints.

A projector claims a projection by locking its checkpoint row for the length of its
transaction (`SELECT ... FOR UPDATE`, with `SKIP LOCKED` when it would rather do something else
than wait). Applying events and moving the checkpoint happen in that same transaction, so however
many API replicas and workers run, each event is applied once per projection, and a projector
killed mid-batch leaves the batch entirely unapplied. On SQLite the write engine's
`BEGIN IMMEDIATE` gives the same exclusion.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import Insert, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.infrastructure.db.transaction_statements import TransactionStatements, statements_on
from app.infrastructure.db.upsert import upsert_for
from app.infrastructure.projections.tables import projection_checkpoints as checkpoints

# Built once: a projector runs these on every batch, and building a statement (and its cache
# key) costs about as much CPU as SQLAlchemy's execution of it.
_position = select(checkpoints.c.position).where(checkpoints.c.name == bindparam("checkpoint"))
_claim = {
    True: _position.with_for_update(),
    False: _position.with_for_update(skip_locked=True),
}
_advance = (
    update(checkpoints)
    .where(checkpoints.c.name == bindparam("checkpoint"))
    .values(position=bindparam("new_position"), updated_at=bindparam("moved_at"))
)


async def claim_checkpoint(
    target: TransactionStatements | AsyncConnection, name: str, *, wait: bool
) -> int | None:
    """Lock the projection's checkpoint for this transaction and return its position.

    Returns None when another transaction holds it and `wait` is false. `target` is a
    connection inside a transaction, or the statements of one.
    """
    statements = statements_on(target)
    locked = _claim[wait]
    named = {"checkpoint": name}
    row = await statements.fetch_one(locked, named)
    if row is not None:
        return int(row[0])
    # No row we could lock: either it does not exist yet (create it, which locks it for us) or
    # another transaction holds it.
    created = await statements.fetch_one(
        _create_if_missing(statements.dialect.name), {**named, "created_at": datetime.now(UTC)}
    )
    if created is not None:
        return int(created[0])
    if wait:
        row = await statements.fetch_one(locked, named)
        assert row is not None  # created by the transaction we waited for
        return int(row[0])
    return None


async def advance_checkpoint(
    target: TransactionStatements | AsyncConnection, name: str, position: int
) -> None:
    await statements_on(target).execute(
        _advance, {"checkpoint": name, "new_position": position, "moved_at": datetime.now(UTC)}
    )


async def read_checkpoints(connection: AsyncConnection, names: Collection[str]) -> dict[str, int]:
    """Positions by projection name; a projection that never ran is at 0."""
    rows = await connection.execute(
        select(checkpoints.c.name, checkpoints.c.position).where(checkpoints.c.name.in_(names))
    )
    found = {name: int(position) for name, position in rows}
    return {name: found.get(name, 0) for name in names}


@functools.cache
def _create_if_missing(dialect_name: str) -> Insert:
    return (
        upsert_for(dialect_name, checkpoints)
        .values(name=bindparam("checkpoint"), position=0, updated_at=bindparam("created_at"))
        .on_conflict_do_nothing(index_elements=[checkpoints.c.name])
        .returning(checkpoints.c.position)
    )
