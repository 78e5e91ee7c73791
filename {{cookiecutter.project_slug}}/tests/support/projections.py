"""Waiting, in tests, until projections have applied the event log up to a position."""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.infrastructure.projections.tables import projection_checkpoints as checkpoints


async def caught_up(
    engine: AsyncEngine, names: Collection[str], position: int, *, timeout_seconds: float
) -> bool:
    """True once every named projection's checkpoint is at `position` or past it; False when
    `timeout_seconds` pass first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_seconds
    while True:
        async with engine.connect() as connection:
            positions = await read_checkpoints(connection, names)
        if min(positions.values()) >= position:
            return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(0.01)


async def read_checkpoints(connection: AsyncConnection, names: Collection[str]) -> dict[str, int]:
    """Positions by projection name; a projection that never ran is at 0."""
    rows = await connection.execute(
        select(checkpoints.c.name, checkpoints.c.position).where(checkpoints.c.name.in_(names))
    )
    found = {name: int(position) for name, position in rows}
    return {name: found.get(name, 0) for name in names}
