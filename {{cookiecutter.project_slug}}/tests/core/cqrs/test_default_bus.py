from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from fastapi import Depends, FastAPI

import app.core.cqrs.registry
from app.core.cqrs import (
    BaseCommandHandler,
    BaseQueryHandler,
    CQRSBus,
    DuplicateHandlerError,
    HandlerRegistry,
    ICommand,
    IQuery,
    cached_query,
    get_cqrs_bus,
    initialize_cqrs_bus,
    register_query_handler,
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


@dataclass(frozen=True)
class GetGreeting(IQuery[str]):
    name: str


greeted: list[str] = []


@cached_query(ttl_seconds=60)
class GetGreetingHandler(BaseQueryHandler[GetGreeting, str]):
    async def _handle(self, query: GetGreeting) -> str:
        greeted.append(query.name)
        return f"hello {query.name}"


@pytest.fixture
def empty_default_registry(monkeypatch: pytest.MonkeyPatch) -> HandlerRegistry:
    """An empty default registry for one test: what a test registers there does not leak."""
    registry = HandlerRegistry()
    monkeypatch.setattr(app.core.cqrs.registry, "_default_registry", registry)
    greeted.clear()
    return registry


def test_get_cqrs_bus_builds_one_default_bus_until_reset() -> None:
    bus = get_cqrs_bus()
    assert get_cqrs_bus() is bus
    reset_cqrs_bus()
    assert get_cqrs_bus() is not bus


async def test_the_default_bus_serves_cached_queries_from_an_in_process_cache(
    empty_default_registry: HandlerRegistry,
) -> None:
    register_query_handler(GetGreeting, GetGreetingHandler)
    reset_cqrs_bus()
    bus = get_cqrs_bus()

    first = await bus.execute_query(GetGreeting("ada"))
    second = await bus.execute_query(GetGreeting("ada"))

    assert (first.data, second.data) == ("hello ada", "hello ada")
    assert greeted == ["ada"]
    key = "tests.core.cqrs.test_default_bus.GetGreeting:name='ada'"
    assert first.cache_info == {"hit": False, "key": key, "ttl": 60, "backend": "memory"}
    assert second.cache_info == {"hit": True, "key": key, "ttl": 60, "backend": "memory"}


async def test_a_reset_forgets_the_default_bus_cache_with_the_bus(
    empty_default_registry: HandlerRegistry,
) -> None:
    register_query_handler(GetGreeting, GetGreetingHandler)
    await get_cqrs_bus().execute_query(GetGreeting("ada"))
    before = await get_cqrs_bus().execute_query(GetGreeting("ada"))
    reset_cqrs_bus()

    after = await get_cqrs_bus().execute_query(GetGreeting("ada"))

    assert before.cache_info is not None
    assert before.cache_info["hit"]
    assert after.cache_info is not None
    assert not after.cache_info["hit"]
    assert greeted == ["ada", "ada"]


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
