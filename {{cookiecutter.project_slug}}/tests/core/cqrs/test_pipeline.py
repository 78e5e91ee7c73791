from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from app.core.cqrs import BaseCommandHandler, CQRSBus, HandlerRegistry, ICommand
from app.core.cqrs import bus as bus_module
from app.core.cqrs.pipeline import compose_pipeline


@dataclass(frozen=True)
class Tick(ICommand[None]):
    pass


class TickHandler(BaseCommandHandler[Tick, None]):
    async def _handle(self, command: Tick) -> None:
        return None


@pytest.fixture
def compositions(monkeypatch: pytest.MonkeyPatch) -> list[type]:
    composed: list[type] = []

    def counting(registration: Any, *args: Any) -> Any:
        composed.append(registration.message_type)
        return compose_pipeline(registration, *args)

    monkeypatch.setattr(bus_module, "compose_pipeline", counting)
    return composed


async def test_a_pipeline_is_composed_once_and_again_only_after_a_middleware_is_added(
    registry: HandlerRegistry, compositions: list[type]
) -> None:
    registry.register_command_handler(Tick, TickHandler)
    bus = CQRSBus(registry=registry)
    for _ in range(3):
        await bus.execute_command(Tick())
    assert compositions == [Tick]

    async def noop(operation: Any, next_handler: Any) -> Any:
        return await next_handler()

    bus.add_command_middleware(noop)
    for _ in range(3):
        await bus.execute_command(Tick())
    assert compositions == [Tick, Tick]


def test_a_message_with_nothing_to_validate_goes_straight_to_its_handler(
    registry: HandlerRegistry,
) -> None:
    registry.register_command_handler(Tick, TickHandler)
    assert CQRSBus(registry=registry).describe_pipeline(Tick) == ("handler:TickHandler",)
