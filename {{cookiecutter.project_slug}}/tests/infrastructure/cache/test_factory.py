from __future__ import annotations

import pytest

from app.core.cqrs import MemoryQueryCache
from app.infrastructure.cache import factory
from app.infrastructure.cache.factory import QueryCacheConfigurationError, build_query_cache
from app.settings import Settings
from tests.infrastructure.cache.counters import cache_hits, cache_misses


def test_without_a_redis_url_the_cache_is_in_process_with_the_configured_capacity() -> None:
    cache = build_query_cache(Settings(redis_url=None, cache_max_entries=3))

    assert isinstance(cache, MemoryQueryCache)
    assert cache.backend_name == "memory"


async def test_the_in_process_cache_holds_at_most_the_configured_number_of_entries() -> None:
    cache = build_query_cache(Settings(redis_url=None, cache_max_entries=3))

    for n in range(5):
        await cache.set(f"k{n}", n, ttl_seconds=60)

    assert isinstance(cache, MemoryQueryCache)
    assert cache.entry_count == 3


async def test_the_in_process_cache_counts_its_hits_and_misses_for_prometheus() -> None:
    cache = build_query_cache(Settings(redis_url=None))
    hits, misses = cache_hits("memory"), cache_misses("memory")

    await cache.get("k")
    await cache.set("k", "v", ttl_seconds=10)
    await cache.get("k")
    await cache.get("k")

    assert cache_hits("memory") - hits == 2
    assert cache_misses("memory") - misses == 1


def test_an_empty_redis_url_counts_as_unset() -> None:
    assert build_query_cache(Settings(redis_url="")).backend_name == "memory"


def test_a_redis_url_without_the_redis_backend_is_a_clear_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As in a project generated with cache=memory, where the backend module does not exist.
    monkeypatch.setattr(factory, "REDIS_BACKEND_MODULE", "app.infrastructure.cache.not_there")

    with pytest.raises(QueryCacheConfigurationError, match="unset REDIS_URL"):
        build_query_cache(Settings(redis_url="redis://127.0.0.1:6379/0"))
