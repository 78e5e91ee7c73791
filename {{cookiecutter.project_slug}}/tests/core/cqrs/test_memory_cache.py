from __future__ import annotations

import pytest

from app.core.cqrs.memory_cache import MemoryQueryCache
from app.core.cqrs.ports import Cached, QueryCache
from tests.infrastructure.cache.manual_clock import ManualClock
from tests.infrastructure.cache.query_cache_contract import QueryCacheContract


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


class TestMemoryQueryCacheContract(QueryCacheContract):
    backend_name = "memory"

    @pytest.fixture
    def cache(self, clock: ManualClock) -> MemoryQueryCache:
        self.clock = clock
        return MemoryQueryCache(max_entries=100, clock=clock)

    async def assert_lives_for(self, cache: QueryCache, key: str, ttl_seconds: int) -> None:
        self.clock.advance(ttl_seconds - 0.001)
        assert await cache.get(key) is not None
        self.clock.advance(0.001)
        assert await cache.get(key) is None


async def test_the_least_recently_used_entry_is_evicted_when_the_cache_is_full(
    clock: ManualClock,
) -> None:
    cache = MemoryQueryCache(max_entries=2, clock=clock)
    await cache.set("a", 1, ttl_seconds=60)
    await cache.set("b", 2, ttl_seconds=60)
    await cache.get("a")  # now "b" is the least recently used

    await cache.set("c", 3, ttl_seconds=60)

    assert cache.entry_count == 2
    assert await cache.get("b") is None
    assert await cache.get("a") == Cached(1)
    assert await cache.get("c") == Cached(3)


async def test_replacing_an_entry_does_not_count_twice_against_the_bound(
    clock: ManualClock,
) -> None:
    cache = MemoryQueryCache(max_entries=2, clock=clock)
    await cache.set("a", 1, ttl_seconds=60)
    await cache.set("b", 2, ttl_seconds=60)

    await cache.set("a", 10, ttl_seconds=60)

    assert await cache.get("a") == Cached(10)
    assert await cache.get("b") == Cached(2)


async def test_evicted_entries_leave_nothing_behind_in_the_tag_index(clock: ManualClock) -> None:
    cache = MemoryQueryCache(max_entries=10, clock=clock)

    for n in range(1_000):
        await cache.set(f"user:{n}", n, ttl_seconds=60, tags=[f"user:{n}", "users:list"])

    assert cache.entry_count == 10
    assert cache.tag_count == 11  # the ten surviving users' tags and users:list
    await cache.invalidate_tags(["users:list"])
    assert (cache.entry_count, cache.tag_count) == (0, 0)


async def test_an_expired_entry_leaves_the_tag_index_when_it_is_read(clock: ManualClock) -> None:
    cache = MemoryQueryCache(max_entries=10, clock=clock)
    await cache.set("user:1", "ada", ttl_seconds=5, tags=["user:1"])
    clock.advance(5)

    assert await cache.get("user:1") is None
    assert (cache.entry_count, cache.tag_count) == (0, 0)


async def test_an_entry_set_again_with_other_tags_answers_only_to_its_new_tags(
    clock: ManualClock,
) -> None:
    cache = MemoryQueryCache(max_entries=10, clock=clock)
    await cache.set("report", "v1", ttl_seconds=60, tags=["draft"])
    await cache.set("report", "v2", ttl_seconds=60, tags=["published"])

    await cache.invalidate_tags(["draft"])
    assert await cache.get("report") == Cached("v2")
    await cache.invalidate_tags(["published"])
    assert await cache.get("report") is None


async def test_setting_an_entry_again_restarts_its_ttl(clock: ManualClock) -> None:
    cache = MemoryQueryCache(max_entries=10, clock=clock)
    await cache.set("k", "v1", ttl_seconds=10)
    clock.advance(8)
    await cache.set("k", "v2", ttl_seconds=10)
    clock.advance(8)

    assert await cache.get("k") == Cached("v2")


async def test_each_hit_and_miss_is_reported_to_its_counter(clock: ManualClock) -> None:
    counted: list[str] = []
    cache = MemoryQueryCache(
        max_entries=10,
        clock=clock,
        on_hit=lambda: counted.append("hit"),
        on_miss=lambda: counted.append("miss"),
    )

    await cache.get("k")
    await cache.set("k", "v", ttl_seconds=10)
    await cache.get("k")
    clock.advance(10)
    await cache.get("k")

    assert counted == ["miss", "hit", "miss"]


async def test_closing_empties_the_cache(clock: ManualClock) -> None:
    cache = MemoryQueryCache(max_entries=10, clock=clock)
    await cache.set("k", "v", ttl_seconds=10, tags=["t"])

    await cache.aclose()

    assert (cache.entry_count, cache.tag_count) == (0, 0)


def test_a_capacity_below_one_entry_is_refused() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        MemoryQueryCache(max_entries=0)
