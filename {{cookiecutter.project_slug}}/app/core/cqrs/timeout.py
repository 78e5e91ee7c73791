"""The step behind `@command_handler(..., timeout_seconds=...)`: a deadline for the whole run.

It wraps retries and the transaction; when it fires, the handler is cancelled, the transaction
rolls back and the result is TIMEOUT.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from app.core.cqrs.messages import Message
from app.core.cqrs.results import OperationResult
from app.core.cqrs.types import Step


class TimeoutStep:
    label: ClassVar[str] = "timeout"
    __slots__ = ("_seconds", "next_step")

    def __init__(self, next_step: Step[OperationResult[Any]], seconds: float) -> None:
        self.next_step = next_step
        self._seconds = seconds

    async def __call__(self, message: Message) -> OperationResult[Any]:
        async with asyncio.timeout(self._seconds):
            return await self.next_step(message)
