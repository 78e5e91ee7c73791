"""A nudge, within one process, that projection checkpoints may have moved.

Read-your-writes waiters poll the checkpoint table; when the projector runs in the same process
it nudges them so they look again at once instead of at their next poll.
"""

from __future__ import annotations

import asyncio
import contextlib


class ProgressSignal:
    def __init__(self) -> None:
        self._moved = asyncio.Event()

    def notify(self) -> None:
        self._moved.set()
        self._moved = asyncio.Event()

    def next_move(self) -> asyncio.Event:
        """Take this before looking at the checkpoints; it is set by the next `notify`."""
        return self._moved


async def wait_for_move(move: asyncio.Event, timeout_seconds: float) -> None:
    """Return once `move` is set, or after `timeout_seconds` at the latest."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(move.wait(), timeout_seconds)
