"""Read-your-writes: wait, bounded, until read models have caught up with a command's events.

A command's result carries the position of its last event. A query that must see that write
asks `wait_for_position(...)` first: it returns True as soon as the projections' checkpoints
reach the position, or False when the timeout passes (the caller then serves what is there and
says it may be stale). Checkpoints are read through the read engine, the same database queries
read, so "caught up" holds for a lagging replica too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncEngine

from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.projections.checkpoints import read_checkpoints
from app.infrastructure.projections.progress import ProgressSignal, wait_for_move


class ReadModelPositions:
    def __init__(
        self,
        read_engine: AsyncEngine,
        projection_names: Collection[str],
        *,
        progress: ProgressSignal | None = None,
        poll_interval_seconds: float = 0.02,
    ) -> None:
        self._engine = read_engine
        self._all = tuple(projection_names)
        self._progress = progress or ProgressSignal()
        self._poll_interval = poll_interval_seconds

    async def position(self, projections: str | Collection[str] | None = None) -> int:
        """The position every one of `projections` (default: all) has reached."""
        names = self._names(projections)
        if not names:
            raise ValueError("no projections to wait for")
        with database_errors_translated():
            async with self._engine.connect() as connection:
                positions = await read_checkpoints(connection, names)
        return min(positions.values())

    async def wait_for_position(
        self,
        projections: str | Collection[str] | None,
        position: int,
        *,
        timeout_seconds: float,
    ) -> bool:
        """True once `projections` (None: all) reach `position`; False if `timeout_seconds` pass."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_seconds
        while True:
            move = self._progress.next_move()
            if await self.position(projections) >= position:
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await wait_for_move(move, min(self._poll_interval, remaining))

    def _names(self, projections: str | Collection[str] | None) -> tuple[str, ...]:
        if projections is None:
            return self._all
        if isinstance(projections, str):
            return (projections,)
        return tuple(projections)
