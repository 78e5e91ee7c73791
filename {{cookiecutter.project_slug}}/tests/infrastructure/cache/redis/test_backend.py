from __future__ import annotations

import asyncio
import logging
import pickle

import pytest
from redis.asyncio import Redis

from app.core.cqrs.ports import Cached, QueryCache
from app.infrastructure.cache.redis import RedisCacheOptions, RedisQueryCache
from tests.infrastructure.cache.counters import cache_errors, cache_hits, cache_misses
from tests.infrastructure.cache.query_cache_contract import QueryCacheContract
from tests.infrastructure.cache.redis.conftest import SECRET, tag_key, value_key

pytestmark = pytest.mark.redis


class TestRedisQueryCacheContract(QueryCacheContract):
    backend_name = "redis"

    @pytest.fixture
    def cache(
        self, redis_cache: RedisQueryCache, redis_client: Redis, service_name: str
    ) -> RedisQueryCache:
        self.redis, self.service_name = redis_client, service_name
        return redis_cache

    async def assert_lives_for(self, cache: QueryCache, key: str, ttl_seconds: int) -> None:
        stored_key = value_key(self.service_name, key)
        # Redis keeps the TTL; what this backend owes is handing it over exactly.
        assert ttl_seconds * 1000 - 1000 < await self.redis.pttl(stored_key) <= ttl_seconds * 1000
        assert await cache.get(key) is not None
        await self.redis.pexpire(stored_key, 1)
        while await self.redis.exists(stored_key):  # noqa: ASYNC110 - Redis expires it, not us
            await asyncio.sleep(0.001)
        assert await cache.get(key) is None


def other_cache(redis_url: str, service_name: str, schema_version: str = "1") -> RedisQueryCache:
    options = RedisCacheOptions(service_name=service_name, schema_version=schema_version)
    return RedisQueryCache.from_url(redis_url, secret=SECRET, options=options)


async def test_entries_live_under_the_service_name_and_schema_version(
    redis_cache: RedisQueryCache, redis_client: Redis, service_name: str
) -> None:
    await redis_cache.set("user:1", "ada", ttl_seconds=60, tags=["user:1"])

    keys = {key async for key in redis_client.scan_iter(match=f"{service_name}:*")}

    assert keys == {
        value_key(service_name, "user:1").encode(),
        tag_key(service_name, "user:1").encode(),
    }


async def test_a_new_schema_version_does_not_read_entries_of_the_old_one(
    redis_cache: RedisQueryCache, redis_url: str, service_name: str
) -> None:
    await redis_cache.set("user:1", "ada", ttl_seconds=60)
    newer = other_cache(redis_url, service_name=service_name, schema_version="2")
    try:
        assert await newer.get("user:1") is None
        await newer.set("user:1", {"name": "ada"}, ttl_seconds=60)
        assert await redis_cache.get("user:1") == Cached("ada")
    finally:
        await newer.aclose()


async def test_another_service_does_not_see_this_services_entries(
    redis_cache: RedisQueryCache, redis_url: str, service_name: str
) -> None:
    await redis_cache.set("user:1", "ada", ttl_seconds=60)
    other_service = f"{service_name}-other"
    other = other_cache(redis_url, service_name=other_service)
    try:
        assert await other.get("user:1") is None
    finally:
        await other.aclose()


async def test_an_entry_without_tags_writes_no_tag_set(
    redis_cache: RedisQueryCache, redis_client: Redis, service_name: str
) -> None:
    await redis_cache.set("motd", "hi", ttl_seconds=60)

    keys = [key async for key in redis_client.scan_iter(match=f"{service_name}:*")]

    assert keys == [value_key(service_name, "motd").encode()]


async def test_a_tag_set_outlives_its_longest_lived_member_and_is_never_shortened(
    redis_cache: RedisQueryCache, redis_client: Redis, service_name: str
) -> None:
    tag = tag_key(service_name, "users:list")

    await redis_cache.set("users:page:1", [], ttl_seconds=100, tags=["users:list"])
    assert 99_000 < await redis_client.pttl(tag) <= 100_000
    await redis_cache.set("users:page:2", [], ttl_seconds=10, tags=["users:list"])
    assert 99_000 < await redis_client.pttl(tag) <= 100_000
    await redis_cache.set("users:page:3", [], ttl_seconds=500, tags=["users:list"])
    assert 499_000 < await redis_client.pttl(tag) <= 500_000


async def test_invalidation_removes_the_tag_sets_as_well_as_the_entries(
    redis_cache: RedisQueryCache, redis_client: Redis, service_name: str
) -> None:
    await redis_cache.set("user:1", "ada", ttl_seconds=60, tags=["user:1", "users:list"])

    await redis_cache.invalidate_tags(["user:1"])

    assert await redis_client.exists(tag_key(service_name, "user:1")) == 0
    assert await redis_client.exists(value_key(service_name, "user:1")) == 0
    # The other tag set may still name the dropped key; it expires with its members.
    assert await redis_client.exists(tag_key(service_name, "users:list")) == 1


async def test_a_tag_naming_thousands_of_entries_drops_them_all(
    redis_cache: RedisQueryCache, redis_client: Redis, service_name: str
) -> None:
    for n in range(1_200):
        await redis_cache.set(f"user:{n}", n, ttl_seconds=60, tags=["users:list"])

    await redis_cache.invalidate_tags(["users:list"])

    assert [key async for key in redis_client.scan_iter(match=f"{service_name}:*")] == []


async def test_thousands_of_tags_are_invalidated_in_one_call(
    redis_cache: RedisQueryCache, redis_client: Redis, service_name: str
) -> None:
    tags = [f"user:{n}" for n in range(1_200)]
    for tag in tags:
        await redis_cache.set(tag, tag, ttl_seconds=60, tags=[tag])
    await redis_cache.set("survivor", "still here", ttl_seconds=60, tags=["other"])

    await redis_cache.invalidate_tags(tags)

    remaining = {key async for key in redis_client.scan_iter(match=f"{service_name}:*")}
    assert remaining == {
        value_key(service_name, "survivor").encode(),
        tag_key(service_name, "other").encode(),
    }


async def test_hits_and_misses_are_counted_for_the_redis_backend(
    redis_cache: RedisQueryCache,
) -> None:
    hits, misses = cache_hits("redis"), cache_misses("redis")

    await redis_cache.get("k")
    await redis_cache.set("k", "v", ttl_seconds=10)
    await redis_cache.get("k")
    await redis_cache.get("k")

    assert cache_hits("redis") - hits == 2
    assert cache_misses("redis") - misses == 1


async def test_a_value_that_cannot_be_pickled_is_not_cached_and_does_not_raise(
    redis_cache: RedisQueryCache,
) -> None:
    errors = cache_errors("redis", "set")

    await redis_cache.set("k", lambda: "not picklable", ttl_seconds=10)

    assert await redis_cache.get("k") is None
    assert cache_errors("redis", "set") - errors == 1


async def test_a_full_connection_pool_makes_a_counted_miss_but_is_not_taken_for_an_outage(
    redis_url: str, redis_client: Redis, service_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.infrastructure.cache.redis.outage_guard")
    options = RedisCacheOptions(service_name=service_name, max_connections=1)
    cache = RedisQueryCache.from_url(redis_url, secret=SECRET, options=options)
    try:
        await cache.set("k", "v", ttl_seconds=60)
        errors = cache_errors("redis", "get")

        # The first read holds the only connection while the others ask for one.
        results = await asyncio.gather(*(cache.get("k") for _ in range(5)))

        assert results[0] == Cached("v")
        assert results[1:] == [None] * 4
        assert cache_errors("redis", "get") - errors == 4
        assert "MaxConnectionsError" in caplog.text
        assert "reachable again" not in caplog.text  # there was no outage to recover from
    finally:
        await cache.aclose()


class TestStoredValuesAreTrustedOnlyWhenSigned:
    async def test_a_tampered_value_is_refused_counted_and_treated_as_a_miss(
        self, redis_cache: RedisQueryCache, redis_client: Redis, service_name: str
    ) -> None:
        await redis_cache.set("user:1", {"role": "reader"}, ttl_seconds=60)
        stored = await redis_client.get(value_key(service_name, "user:1"))
        assert isinstance(stored, bytes)
        tampered = stored.replace(b"reader", b"admin!")
        await redis_client.set(value_key(service_name, "user:1"), tampered)
        errors = cache_errors("redis", "get")

        assert await redis_cache.get("user:1") is None
        assert cache_errors("redis", "get") - errors == 1

    async def test_a_value_signed_with_another_secret_is_refused(
        self, redis_cache: RedisQueryCache, redis_url: str, service_name: str
    ) -> None:
        foreign = RedisQueryCache.from_url(
            redis_url,
            secret="another-services-secret",
            options=RedisCacheOptions(service_name=service_name),
        )
        try:
            await foreign.set("user:1", "written elsewhere", ttl_seconds=60)
        finally:
            await foreign.aclose()

        assert await redis_cache.get("user:1") is None

    async def test_a_genuine_value_copied_under_another_key_is_refused(
        self, redis_cache: RedisQueryCache, redis_client: Redis, service_name: str
    ) -> None:
        await redis_cache.set("user:1", "ada", ttl_seconds=60)
        await redis_client.copy(
            value_key(service_name, "user:1"), value_key(service_name, "user:2")
        )

        assert await redis_cache.get("user:2") is None
        assert await redis_cache.get("user:1") == Cached("ada")

    async def test_an_unsigned_pickle_planted_in_redis_is_never_loaded(
        self, redis_cache: RedisQueryCache, redis_client: Redis, service_name: str
    ) -> None:
        planted = pickle.dumps(Booby())
        await redis_client.set(value_key(service_name, "user:1"), b"\x00" * 32 + planted)
        await redis_client.set(value_key(service_name, "user:2"), planted)

        assert await redis_cache.get("user:1") is None
        assert await redis_cache.get("user:2") is None
        assert BOOBY_TRAPS_SPRUNG == []


BOOBY_TRAPS_SPRUNG: list[str] = []


def _spring(name: str) -> str:
    BOOBY_TRAPS_SPRUNG.append(name)
    return name


class Booby:
    """Unpickling this calls `_spring`: what an attacker's payload would do with os.system."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (_spring, ("booby trap",))
