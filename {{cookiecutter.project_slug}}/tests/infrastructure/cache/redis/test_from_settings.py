from __future__ import annotations

import pytest
from redis.asyncio import Redis

from app.core.cqrs.ports import Cached
from app.infrastructure.cache.factory import build_query_cache
from app.infrastructure.cache.redis import RedisQueryCache, build_redis_query_cache
from app.settings import Settings
from tests.infrastructure.cache.redis.conftest import SECRET

pytestmark = pytest.mark.redis


async def test_with_a_redis_url_the_factory_builds_the_redis_cache(
    redis_url: str, redis_client: Redis, service_name: str
) -> None:
    settings = Settings(redis_url=redis_url, app_name=service_name, secret_key=SECRET)
    cache = build_query_cache(settings)
    try:
        assert isinstance(cache, RedisQueryCache)
        await cache.set("k", "v", ttl_seconds=10)
        assert await cache.get("k") == Cached("v")
        assert await redis_client.exists(f"{service_name}:qc:1:v:k") == 1
    finally:
        await cache.aclose()


async def test_a_service_name_with_spaces_or_colons_becomes_one_key_token(
    redis_url: str, redis_client: Redis, service_name: str
) -> None:
    settings = Settings(redis_url=redis_url, app_name=f" {service_name} a:b ", secret_key=SECRET)
    cache = build_redis_query_cache(settings)
    try:
        await cache.set("k", "v", ttl_seconds=10)
        assert await redis_client.exists(f"{service_name}-a-b:qc:1:v:k") == 1
    finally:
        await cache.aclose()
        await redis_client.delete(f"{service_name}-a-b:qc:1:v:k")


def test_building_the_redis_cache_without_a_url_is_refused() -> None:
    with pytest.raises(ValueError, match="REDIS_URL"):
        build_redis_query_cache(Settings(redis_url=None))
