"""Pick the query cache backend: Redis when REDIS_URL is set, in-process memory otherwise."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol

from app.core.cqrs import MemoryQueryCache, QueryCache
from app.infrastructure.cache.metrics import CACHE_HITS, CACHE_MISSES
from app.settings import Settings

# Imported by name, not statically: a project generated with cache=memory has neither this
# module nor the `redis` package, and everything here must still import and type-check.
REDIS_BACKEND_MODULE = "app.infrastructure.cache.redis"


class QueryCacheConfigurationError(RuntimeError):
    """The settings ask for a cache backend this project cannot provide."""


class ClosableQueryCache(QueryCache, Protocol):
    """A query cache the application closes on shutdown."""

    async def aclose(self) -> None: ...


def build_query_cache(settings: Settings) -> ClosableQueryCache:
    if not settings.redis_url:
        return MemoryQueryCache(
            max_entries=settings.cache_max_entries,
            on_hit=CACHE_HITS.labels(backend="memory").inc,
            on_miss=CACHE_MISSES.labels(backend="memory").inc,
        )
    return _redis_cache_builder()(settings)


def _redis_cache_builder() -> Callable[[Settings], ClosableQueryCache]:
    try:
        module = importlib.import_module(REDIS_BACKEND_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name not in (REDIS_BACKEND_MODULE, "redis"):
            raise
        raise QueryCacheConfigurationError(
            "REDIS_URL is set, but this project has no Redis cache backend (it was generated "
            "with cache=memory, or the `redis` package is not installed): unset REDIS_URL to "
            "use the in-process cache"
        ) from exc
    builder: Callable[[Settings], ClosableQueryCache] = module.build_redis_query_cache
    return builder
