from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from app.core.cqrs import (
    BaseCommandHandler,
    CQRSBus,
    HandlerRegistry,
    ICommand,
    OperationStatus,
    TransientError,
    retry_on_failure,
    transactional,
)
from tests.core.cqrs.doubles import InMemoryStore


@dataclass(frozen=True)
class Stall(ICommand[None]):
    pass


@transactional()
@retry_on_failure(max_attempts=5, delay_seconds=60.0)
class StallHandler(BaseCommandHandler[Stall, None]):
    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.attempts = 0

    async def _handle(self, command: Stall) -> None:
        self.attempts += 1
        if self.behaviour == "hang":
            await asyncio.Event().wait()
        raise TransientError


def _bus(registry: HandlerRegistry, store: InMemoryStore, handler: StallHandler) -> CQRSBus:
    def build(handler_class: type[Any]) -> Any:
        return handler

    registry.register_command_handler(Stall, StallHandler, timeout_seconds=0.01)
    return CQRSBus(registry=registry, unit_of_work_factory=store, handler_factory=build)


async def test_a_handler_past_its_timeout_is_cancelled_rolled_back_and_reported(
    registry: HandlerRegistry, store: InMemoryStore
) -> None:
    handler = StallHandler("hang")
    result = await _bus(registry, store, handler).execute_command(Stall())
    assert result.status is OperationStatus.TIMEOUT
    assert store.log == ["begin", "rollback"]


async def test_the_timeout_bounds_all_retries_together(
    registry: HandlerRegistry, store: InMemoryStore
) -> None:
    # The first attempt fails and the retry waits 30-60 s: the deadline ends it.
    handler = StallHandler("fail")
    result = await _bus(registry, store, handler).execute_command(Stall())
    assert (result.status, handler.attempts) == (OperationStatus.TIMEOUT, 1)
