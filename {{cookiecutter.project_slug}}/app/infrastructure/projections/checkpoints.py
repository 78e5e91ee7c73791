"""Claiming and moving projection checkpoints.

A projector claims a projection by locking its checkpoint row for the length of its
transaction (`SELECT ... FOR UPDATE`, with `SKIP LOCKED` when it would rather do something else
than wait). Applying events and moving the checkpoint happen in that same transaction, so however
many API replicas and workers run, each event is applied once per projection, and a projector
killed mid-batch leaves the batch entirely unapplied. On SQLite the write engine's
`BEGIN IMMEDIATE` gives the same exclusion.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.infrastructure.db.upsert import upsert_into
from app.infrastructure.projections.tables import projection_checkpoints as checkpoints

# Built once: a projector runs these on every batch.
_position = select(checkpoints.c.position).where(checkpoints.c.name == bindparam("checkpoint"))
_claim = {True: _position.with_for_update(), False: _position.with_for_update(skip_locked=True)}
_advance = (
    update(checkpoints)
    .where(checkpoints.c.name == bindparam("checkpoint"))
    .values(position=bindparam("new_position"), updated_at=bindparam("moved_at"))
)


async def claim_checkpoint(connection: AsyncConnection, name: str, *, wait: bool) -> int | None:
    """Lock the projection's checkpoint for this transaction and return its position.

    Returns None when another transaction holds it and `wait` is false.
    """
    position = await connection.scalar(_claim[wait], {"checkpoint": name})
    if position is not None:
        return int(position)
    # No row we could lock: either it does not exist yet (create it, which locks it for us) or
    # another transaction holds it.
    create = (
        upsert_into(connection, checkpoints)
        .values(name=name, position=0, updated_at=datetime.now(UTC))
        .on_conflict_do_nothing(index_elements=[checkpoints.c.name])
        .returning(checkpoints.c.position)
    )
    created = await connection.scalar(create)
    if created is not None:
        return int(created)
    if wait:
        position = await connection.scalar(_claim[wait], {"checkpoint": name})
        assert position is not None  # created by the transaction we waited for
        return int(position)
    return None


async def advance_checkpoint(connection: AsyncConnection, name: str, position: int) -> None:
    values = {"checkpoint": name, "new_position": position, "moved_at": datetime.now(UTC)}
    await connection.execute(_advance, values)
