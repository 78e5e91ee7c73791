from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from fastapi import Depends, FastAPI

from app.core.cqrs import (
    BaseCommandHandler,
    CQRSBus,
    DuplicateHandlerError,
    HandlerRegistry,
    ICommand,
    get_cqrs_bus,
    initialize_cqrs_bus,
    reset_cqrs_bus,
    set_cqrs_bus,
)


@dataclass
class Hello(ICommand[str]):
    pass


class HelloHandler(BaseCommandHandler[Hello, str]):
    async def _handle(self, command: Hello) -> str:
        return "hello"


class OtherHelloHandler(HelloHandler):
    async def _handle(self, command: Hello) -> str:
        return "other"


def test_get_cqrs_bus_builds_one_default_bus_until_reset() -> None:
    bus = get_cqrs_bus()
    assert get_cqrs_bus() is bus
    reset_cqrs_bus()
    assert get_cqrs_bus() is not bus


async def test_initialize_cqrs_bus_installs_the_bus_get_cqrs_bus_returns(
    registry: HandlerRegistry,
) -> None:
    registry.register_command_handler(Hello, HelloHandler)
    bus = initialize_cqrs_bus(registry=registry)
    assert get_cqrs_bus() is bus
    assert bus.get_handler_count() == {"commands": 1, "queries": 0, "total": 1}
    assert (await get_cqrs_bus().execute_command(Hello())).data == "hello"


async def test_initialize_cqrs_bus_refuses_two_handlers_unless_overriding_is_allowed(
    registry: HandlerRegistry,
) -> None:
    registry.register_command_handler(Hello, HelloHandler)
    registry.register_command_handler(Hello, OtherHelloHandler)
    with pytest.raises(DuplicateHandlerError, match=r"\.HelloHandler.*OtherHelloHandler"):
        initialize_cqrs_bus(registry=registry)
    bus = initialize_cqrs_bus(registry=registry, allow_handler_override=True)
    assert (await bus.execute_command(Hello())).data == "other"


async def test_get_cqrs_bus_works_as_a_fastapi_dependency(registry: HandlerRegistry) -> None:
    registry.register_command_handler(Hello, HelloHandler)
    set_cqrs_bus(CQRSBus(registry=registry))
    app = FastAPI()

    @app.post("/hello")
    async def hello(bus: CQRSBus = Depends(get_cqrs_bus)) -> str:  # noqa: B008 (FastAPI idiom)
        result = await bus.execute_command(Hello())
        assert result.data is not None
        return result.data

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/hello")
    assert response.json() == "hello"
