"""Build the Redis query cache from the application settings."""

from __future__ import annotations

import re

from app.infrastructure.cache.redis.backend import RedisQueryCache
from app.infrastructure.cache.redis.options import RedisCacheOptions
from app.settings import Settings


def build_redis_query_cache(settings: Settings) -> RedisQueryCache:
    if not settings.redis_url:
        raise ValueError("the Redis query cache needs REDIS_URL")
    # The service name becomes part of every key: keep it to one readable token.
    service_name = re.sub(r"[\s:]+", "-", settings.app_name.strip()) or "app"
    return RedisQueryCache.from_url(
        settings.redis_url,
        secret=settings.secret_key,
        options=RedisCacheOptions(service_name=service_name),
    )
