"""Redis-backed cache tests: each test gets its own service name, so its own key prefix, and
every key under it is deleted afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from app.infrastructure.cache.redis import RedisCacheOptions, RedisQueryCache
from tests.support.services import redis_server_url, unique_name

SECRET = "test-secret-key-that-is-long-enough-for-hs256"


@pytest.fixture
def redis_url() -> str:
    return redis_server_url()


@pytest.fixture
def service_name() -> str:
    return unique_name("cachetest")


@pytest.fixture
async def redis_client(redis_url: str, service_name: str) -> AsyncIterator[Redis]:
    """A plain client for looking at (and tampering with) what the cache wrote."""
    client = Redis.from_url(redis_url)
    yield client
    keys = [key async for key in client.scan_iter(match=f"{service_name}:*", count=1_000)]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
async def redis_cache(
    redis_url: str, service_name: str, redis_client: Redis
) -> AsyncIterator[RedisQueryCache]:
    cache = RedisQueryCache.from_url(
        redis_url, secret=SECRET, options=RedisCacheOptions(service_name=service_name)
    )
    yield cache
    await cache.aclose()


def value_key(service_name: str, key: str, schema_version: str = "1") -> str:
    return f"{service_name}:qc:{schema_version}:v:{key}"


def tag_key(service_name: str, tag: str, schema_version: str = "1") -> str:
    return f"{service_name}:qc:{schema_version}:t:{tag}"
