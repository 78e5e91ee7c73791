"""Waiting, in tests, until projections have applied the event log up to a position."""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncEngine

from app.infrastructure.projections.checkpoints import read_checkpoints


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
