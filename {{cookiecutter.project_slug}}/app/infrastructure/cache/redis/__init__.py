"""The Redis query cache backend. Projects generated with cache=memory do not have it."""

from app.infrastructure.cache.redis.backend import RedisQueryCache
from app.infrastructure.cache.redis.from_settings import build_redis_query_cache
from app.infrastructure.cache.redis.options import RedisCacheOptions

__all__ = ["RedisCacheOptions", "RedisQueryCache", "build_redis_query_cache"]
