"""The step behind `@retry_on_failure`: run again after a transient failure.

Delays grow by `backoff_multiplier` and are jittered ("equal jitter"): attempt n waits a random
time in [d/2, d) with d = delay_seconds * backoff_multiplier**(n-1), so replicas that failed
together do not retry together. Retry wraps the transaction: every attempt gets a fresh one.
Inside a caller's open unit of work (a nested dispatch) there is no retry: a failed attempt's
writes could not be undone there, so the caller's own retry policy decides.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from app.core.cqrs.context import current_unit_of_work
from app.core.cqrs.messages import Message
from app.core.cqrs.options import RetryOptions
from app.core.cqrs.results import OperationResult
from app.core.cqrs.types import RandomFraction, Sleep, Step

_logger = logging.getLogger(__name__)


class RetryStep:
    label: ClassVar[str] = "retry"
    __slots__ = ("_options", "_random_fraction", "_sleep", "next_step")

    def __init__(
        self,
        next_step: Step[OperationResult[Any]],
        options: RetryOptions,
        sleep: Sleep,
        random_fraction: RandomFraction,
    ) -> None:
        self.next_step = next_step
        self._options = options
        self._sleep = sleep
        self._random_fraction = random_fraction

    async def __call__(self, message: Message) -> OperationResult[Any]:
        if current_unit_of_work() is not None:
            return await self.next_step(message)
        options = self._options
        delay = options.delay_seconds
        attempt = 1
        while True:
            try:
                return await self.next_step(message)
            except options.retry_on as exc:
                if attempt >= options.max_attempts:
                    raise
                _logger.warning(
                    "%s attempt %d of %d failed with %s; retrying",
                    message.message_name(),
                    attempt,
                    options.max_attempts,
                    type(exc).__name__,
                )
            await self._sleep(delay * (0.5 + 0.5 * self._random_fraction()))
            delay *= options.backoff_multiplier
            attempt += 1
