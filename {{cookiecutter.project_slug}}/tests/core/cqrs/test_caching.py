from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import pytest

from app.core.cqrs import (
    BaseQueryHandler,
    CachedQueryValue,
    CQRSBus,
    HandlerRegistry,
    IQuery,
    NotFoundError,
    OperationStatus,
    cached_query,
)
from app.core.cqrs.context import bind_unit_of_work, unbind_unit_of_work
from tests.core.cqrs.doubles import DictQueryCache, InMemoryStore


@dataclass(frozen=True)
class GetUser(IQuery[dict[str, str] | None]):
    user_id: str
    include_details: bool = False

    def get_cache_key(self) -> str:
        return f"user:{self.user_id}"

    def get_cache_ttl(self) -> int:
        return 120

    def get_cache_tags(self) -> Sequence[str]:
        return [f"user:{self.user_id}"]


@dataclass(frozen=True)
class ListUsers(IQuery[list[str]]):
    role: str
    page: int = 1


class Users:
    def __init__(self) -> None:
        self.calls = 0
        self.gate: asyncio.Event | None = None
        self.error: Exception | None = None

    async def get(self, user_id: str) -> dict[str, str] | None:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error
        return {"id": user_id} if user_id != "ghost" else None


@cached_query()
class GetUserHandler(BaseQueryHandler[GetUser, dict[str, str] | None]):
    def __init__(self, users: Users) -> None:
        self.users = users

    async def _handle(self, query: GetUser) -> dict[str, str] | None:
        return await self.users.get(query.user_id)


@cached_query(ttl_seconds=30, vary_by=["role", "page"], cache_null_results=True)
class ListUsersHandler(BaseQueryHandler[ListUsers, list[str]]):
    def __init__(self, users: Users) -> None:
        self.users = users

    async def _handle(self, query: ListUsers) -> list[str]:
        self.users.calls += 1
        return [f"{query.role}-{query.page}"]

    async def _get_pagination_info(self, query: ListUsers, result: list[str]) -> dict[str, Any]:
        return {"page": query.page, "total_count": 1}


@pytest.fixture
def users() -> Users:
    return Users()


@pytest.fixture
def bus(registry: HandlerRegistry, users: Users, cache: DictQueryCache) -> CQRSBus:
    registry.register_query_handler(GetUser, GetUserHandler)
    registry.register_query_handler(ListUsers, ListUsersHandler)
    return CQRSBus(registry=registry, query_cache=cache, handler_factory=lambda cls: cls(users))


async def test_a_miss_runs_the_handler_and_fills_the_cache_and_a_hit_does_not(
    bus: CQRSBus, users: Users, cache: DictQueryCache
) -> None:
    miss = await bus.execute_query(GetUser("u1"))
    hit = await bus.execute_query(GetUser("u1"))
    assert miss.data == hit.data == {"id": "u1"}
    assert users.calls == 1
    assert miss.cache_info == {
        "hit": False,
        "key": "tests.core.cqrs.test_caching.GetUser:user:u1",
        "ttl": 120,
        "backend": "dict",
    }
    assert hit.cache_info == {
        "hit": True,
        "key": "tests.core.cqrs.test_caching.GetUser:user:u1",
        "ttl": 120,
        "backend": "dict",
    }
    assert cache.entries["tests.core.cqrs.test_caching.GetUser:user:u1"] == (
        CachedQueryValue({"id": "u1"}, None),
        120,
        ("user:u1",),
    )


async def test_vary_by_fields_make_the_key_and_the_decorator_ttl_wins(
    bus: CQRSBus, users: Users, cache: DictQueryCache
) -> None:
    await bus.execute_query(ListUsers("admin", page=1))
    await bus.execute_query(ListUsers("admin", page=2))
    await bus.execute_query(ListUsers("admin", page=1))
    assert users.calls == 2
    assert {key: ttl for key, (_, ttl, _) in cache.entries.items()} == {
        "tests.core.cqrs.test_caching.ListUsers:role='admin':page=1": 30,
        "tests.core.cqrs.test_caching.ListUsers:role='admin':page=2": 30,
    }


def stats_query_of(module: str) -> type[IQuery[str]]:
    """A query class named `GetStats`, as if defined in `module`."""
    return cast(type[IQuery[str]], type("GetStats", (IQuery,), {"__module__": module}))


async def test_queries_of_one_name_in_two_modules_never_share_an_entry(
    registry: HandlerRegistry, cache: DictQueryCache
) -> None:
    @cached_query(ttl_seconds=60)
    class StatsHandler(BaseQueryHandler[IQuery[str], str]):
        async def _handle(self, query: IQuery[str]) -> str:
            return f"stats of {type(query).__module__}"

    orders_stats = stats_query_of("app.handlers.orders.get_stats")
    users_stats = stats_query_of("app.handlers.users.get_stats")
    registry.register_query_handler(orders_stats, StatsHandler)
    registry.register_query_handler(users_stats, StatsHandler)
    bus = CQRSBus(registry=registry, query_cache=cache)

    orders = await bus.execute_query(orders_stats())
    users = await bus.execute_query(users_stats())

    assert (orders.data, users.data) == (
        "stats of app.handlers.orders.get_stats",
        "stats of app.handlers.users.get_stats",
    )
    assert users.cache_info is not None
    assert not users.cache_info["hit"]
    assert set(cache.entries) == {
        "app.handlers.orders.get_stats.GetStats:",
        "app.handlers.users.get_stats.GetStats:",
    }


async def test_a_hit_returns_the_pagination_of_the_original_result(bus: CQRSBus) -> None:
    await bus.execute_query(ListUsers("admin", page=3))
    hit = await bus.execute_query(ListUsers("admin", page=3))
    assert hit.cache_info is not None
    assert hit.cache_info["hit"]
    assert hit.pagination == {"page": 3, "total_count": 1}


async def test_none_is_cached_only_when_asked(
    bus: CQRSBus, users: Users, cache: DictQueryCache
) -> None:
    for _ in range(2):
        assert (await bus.execute_query(GetUser("ghost"))).data is None
    assert users.calls == 2
    assert "tests.core.cqrs.test_caching.GetUser:user:ghost" not in cache.entries


async def test_failures_are_not_cached(bus: CQRSBus, users: Users) -> None:
    users.error = NotFoundError()
    assert (await bus.execute_query(GetUser("u1"))).status is OperationStatus.NOT_FOUND
    users.error = None
    assert (await bus.execute_query(GetUser("u1"))).data == {"id": "u1"}


async def test_invalidating_a_tag_drops_the_entry(
    bus: CQRSBus, users: Users, cache: DictQueryCache
) -> None:
    await bus.execute_query(GetUser("u1"))
    await cache.invalidate_tags(["user:u1"])
    await bus.execute_query(GetUser("u1"))
    assert users.calls == 2


async def test_concurrent_misses_for_one_key_run_the_handler_once(
    bus: CQRSBus, users: Users
) -> None:
    users.gate = asyncio.Event()
    waiting = [asyncio.create_task(bus.execute_query(GetUser("u1"))) for _ in range(5)]
    await asyncio.sleep(0)
    users.gate.set()
    results = await asyncio.gather(*waiting)
    assert users.calls == 1
    assert [r.data for r in results] == [{"id": "u1"}] * 5
    assert len({id(r) for r in results}) == 5  # each caller gets its own result object


async def test_concurrent_misses_share_the_failure_of_the_one_that_ran(
    bus: CQRSBus, users: Users
) -> None:
    users.gate, users.error = asyncio.Event(), NotFoundError()
    waiting = [asyncio.create_task(bus.execute_query(GetUser("u1"))) for _ in range(3)]
    await asyncio.sleep(0)
    users.gate.set()
    results = await asyncio.gather(*waiting)
    assert users.calls == 1
    assert {r.status for r in results} == {OperationStatus.NOT_FOUND}


async def test_when_the_first_caller_is_cancelled_the_others_run_the_query_themselves(
    bus: CQRSBus, users: Users
) -> None:
    users.gate = asyncio.Event()
    first = asyncio.create_task(bus.execute_query(GetUser("u1")))
    await asyncio.sleep(0)
    second = asyncio.create_task(bus.execute_query(GetUser("u1")))
    await asyncio.sleep(0)
    first.cancel()
    await asyncio.sleep(0)
    users.gate.set()
    assert (await second).data == {"id": "u1"}
    assert first.cancelled()
    assert users.calls == 2


async def test_a_broken_cache_never_fails_a_query(
    bus: CQRSBus, users: Users, cache: DictQueryCache, caplog: pytest.LogCaptureFixture
) -> None:
    cache.broken = True
    result = await bus.execute_query(GetUser("u1"))
    assert (result.status, result.data) == (OperationStatus.SUCCESS, {"id": "u1"})
    assert "Query cache read failed" in caplog.text
    assert "Query cache write failed" in caplog.text


async def test_without_a_cache_the_handler_runs_and_the_result_says_so(
    registry: HandlerRegistry, users: Users
) -> None:
    registry.register_query_handler(GetUser, GetUserHandler)
    bus = CQRSBus(registry=registry, handler_factory=lambda cls: cls(users))
    result = await bus.execute_query(GetUser("u1"))
    await bus.execute_query(GetUser("u1"))
    assert users.calls == 2
    assert result.cache_info == {
        "hit": False,
        "key": "tests.core.cqrs.test_caching.GetUser:user:u1",
        "ttl": 120,
        "backend": None,
    }


async def test_a_registration_with_caching_disabled_bypasses_the_cache(
    registry: HandlerRegistry, users: Users, cache: DictQueryCache
) -> None:
    registry.register_query_handler(GetUser, GetUserHandler, cache_enabled=False)
    bus = CQRSBus(registry=registry, query_cache=cache, handler_factory=lambda cls: cls(users))
    result = await bus.execute_query(GetUser("u1"))
    assert (result.cache_info, cache.calls) == (None, [])


async def test_inside_an_open_unit_of_work_queries_bypass_the_cache(
    bus: CQRSBus, users: Users, cache: DictQueryCache
) -> None:
    await bus.execute_query(GetUser("u1"))
    token = bind_unit_of_work(await InMemoryStore().begin())
    try:
        result = await bus.execute_query(GetUser("u2"))
        again = await bus.execute_query(GetUser("u1"))
    finally:
        unbind_unit_of_work(token)
    assert users.calls == 3
    assert result.cache_info is not None
    assert not result.cache_info["hit"]
    assert again.cache_info is not None
    assert not again.cache_info["hit"]
    assert "tests.core.cqrs.test_caching.GetUser:user:u2" not in cache.entries
