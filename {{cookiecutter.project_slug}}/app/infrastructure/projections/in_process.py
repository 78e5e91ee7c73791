"""Projection catch-up inside the API process, right after each commit (the default).

Registered as an after-commit hook, the runner only wakes a background task and returns, so a
command's response never waits for its projections (read-your-writes waits instead, when asked
to). Commits that arrive while a pass runs are coalesced into the next pass, which starts no
sooner than the last one took (20 ms at most) after it ended: under a steady stream of commits
passes would otherwise run back to back, each settling a few commits and taking CPU from the
requests; resting lets commits gather, and a commit after a quiet spell is projected at once.

When another process holds a projection, or a projection fails, the runner retries with a
growing delay until a pass completes, so an event committed here is never left waiting for the
next commit.

Stopping lets the pass under way finish (bounded): a pass cancelled mid-transaction could leave
its connection checked out inside the transaction, and on SQLite keep the write lock with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from app.core.cqrs.events import DomainEvent
from app.infrastructure.projections.catch_up import ProjectionCatchUp

logger = logging.getLogger(__name__)


class InProcessProjectionRunner:
    def __init__(
        self,
        catch_up: ProjectionCatchUp,
        *,
        retry_delay_seconds: float = 0.05,
        max_retry_delay_seconds: float = 2.0,
        stop_grace_seconds: float = 5.0,
        max_rest_seconds: float = 0.02,
    ) -> None:
        self._catch_up = catch_up
        self._retry_delay = retry_delay_seconds
        self._max_retry_delay = max_retry_delay_seconds
        self._stop_grace = stop_grace_seconds
        self._max_rest = max_rest_seconds
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Start the background task; it first catches up on anything committed while down."""
        if self.running:
            return
        self._stopping.clear()
        self._wake.set()
        self._task = asyncio.create_task(self._run(), name="in-process projections")

    async def stop(self) -> None:
        """Stop once the pass under way has ended; cancel it only past the grace period."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), self._stop_grace)
        except TimeoutError:
            # Still safe for the data: the interrupted batch rolls back and is redone later.
            logger.warning(
                "projection pass still running after %ss; cancelling it", self._stop_grace
            )
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        """The after-commit hook: wake the background task."""
        if events:
            self._wake.set()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        delay = self._retry_delay
        rest_until = 0.0
        while True:
            await self._wake.wait()
            if (rest := rest_until - loop.time()) > 0:
                await asyncio.sleep(rest)
            self._wake.clear()
            if self._stopping.is_set():
                return
            started = loop.time()
            outcome = await self._catch_up.run_pass()
            if outcome.complete:
                delay = self._retry_delay
                ended = loop.time()
                rest_until = ended + min(ended - started, self._max_rest)
                continue
            # Back off before retrying, but wake at once for a stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._stopping.wait()
            delay = min(delay * 2, self._max_retry_delay)
            self._wake.set()
