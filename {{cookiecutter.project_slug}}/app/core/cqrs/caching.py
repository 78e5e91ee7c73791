"""The query cache step behind `@cached_query`: look up, fill, and run concurrent misses once.

A cached entry holds a `CachedQueryValue` (data and pagination) under the key
`<module>.<QueryClass>:<the query's get_cache_key(), or the vary_by fields>`, with the query's
`get_cache_tags()`. The module (`app.handlers.users.get_user.GetUser:...`) keeps same-named
queries of two features apart. Cache trouble never fails a query: it is logged and treated as
a miss. A query dispatched inside an open unit of work bypasses the cache: it must see that
transaction's uncommitted writes, and what it reads may yet be rolled back.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, ClassVar

from app.core.cqrs.context import current_unit_of_work
from app.core.cqrs.messages import IQuery
from app.core.cqrs.options import CacheOptions
from app.core.cqrs.ports import Cached, QueryCache
from app.core.cqrs.results import CacheInfo, OperationStatus, QueryResult
from app.core.cqrs.types import Step

_logger = logging.getLogger(__name__)

_Outcome = QueryResult[Any] | Exception | None  # None: the leader was cancelled


@dataclass(frozen=True, slots=True)
class CachedQueryValue:
    """What the cache stores for one query result."""

    data: object
    pagination: dict[str, Any] | None = None


def cache_key_for(query: IQuery[Any], options: CacheOptions) -> str:
    if options.vary_by is None:
        distinguishing = query.get_cache_key()
    else:
        distinguishing = ":".join(f"{name}={getattr(query, name)!r}" for name in options.vary_by)
    query_type = type(query)
    return f"{query_type.__module__}.{query_type.__qualname__}:{distinguishing}"


def cache_ttl_for(query: IQuery[Any], options: CacheOptions) -> int:
    return options.ttl_seconds if options.ttl_seconds is not None else query.get_cache_ttl()


def uncached_info(
    query: IQuery[Any], options: CacheOptions | None, *, backend: str | None
) -> CacheInfo | None:
    """Cache info for a result that did not come from the cache (None: handler not cached)."""
    if options is None:
        return None
    key = cache_key_for(query, options)
    return {"hit": False, "key": key, "ttl": cache_ttl_for(query, options), "backend": backend}


class PassThroughCacheStep:
    """`@cached_query` on a bus without a cache: runs the handler, says nothing was cached."""

    label: ClassVar[str] = "cache (none configured)"
    __slots__ = ("_options", "next_step")

    def __init__(self, next_step: Step[Any], options: CacheOptions) -> None:
        self.next_step = next_step
        self._options = options

    async def __call__(self, query: IQuery[Any]) -> QueryResult[Any]:
        result: QueryResult[Any] = await self.next_step(query)
        result.cache_info = uncached_info(query, self._options, backend=None)
        return result


class CacheStep:
    label: ClassVar[str] = "cache"
    __slots__ = ("_cache", "_in_flight", "_options", "next_step")

    def __init__(self, next_step: Step[Any], cache: QueryCache, options: CacheOptions) -> None:
        self.next_step = next_step
        self._cache = cache
        self._options = options
        self._in_flight: dict[str, asyncio.Future[_Outcome]] = {}

    async def __call__(self, query: IQuery[Any]) -> QueryResult[Any]:
        key = cache_key_for(query, self._options)
        ttl = cache_ttl_for(query, self._options)
        if current_unit_of_work() is not None:
            result: QueryResult[Any] = await self.next_step(query)
            result.cache_info = self._info(False, key, ttl)
            return result
        cached = await self._get(key)
        if cached is not None:
            return self._from_cache(cached, key, ttl)
        leader = self._in_flight.get(key)
        if leader is not None:
            # shield: a cancelled follower must not cancel the outcome others wait for.
            shared = await asyncio.shield(leader)
            if isinstance(shared, Exception):
                raise shared
            if shared is not None:
                return self._shared_copy(shared, key, ttl)
            return await self._run_and_store(query, key, ttl)
        future: asyncio.Future[_Outcome] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            result = await self._run_and_store(query, key, ttl)
        except Exception as exc:
            future.set_result(exc)
            raise
        except BaseException:
            future.set_result(None)
            raise
        finally:
            del self._in_flight[key]
        future.set_result(result)
        return result

    async def _run_and_store(self, query: IQuery[Any], key: str, ttl: int) -> QueryResult[Any]:
        result: QueryResult[Any] = await self.next_step(query)
        if result.is_success and (result.data is not None or self._options.cache_null_results):
            value = CachedQueryValue(result.data, result.pagination)
            await self._set(key, value, ttl, tuple(query.get_cache_tags()))
        result.cache_info = self._info(False, key, ttl)
        return result

    def _from_cache(self, cached: Cached, key: str, ttl: int) -> QueryResult[Any]:
        value = cached.value
        if isinstance(value, CachedQueryValue):
            data, pagination = value.data, value.pagination
        else:
            data, pagination = value, None
        return QueryResult(
            OperationStatus.SUCCESS,
            data,
            pagination=pagination,
            cache_info=self._info(True, key, ttl),
        )

    def _shared_copy(self, result: QueryResult[Any], key: str, ttl: int) -> QueryResult[Any]:
        return QueryResult(
            result.status,
            result.data,
            errors=result.errors,
            pagination=result.pagination,
            cache_info=self._info(False, key, ttl),
        )

    def _info(self, hit: bool, key: str, ttl: int) -> CacheInfo:
        return {"hit": hit, "key": key, "ttl": ttl, "backend": self._cache.backend_name}

    async def _get(self, key: str) -> Cached | None:
        try:
            return await self._cache.get(key)
        except Exception:
            _logger.warning("Query cache read failed for %s; treated as a miss", key, exc_info=True)
            return None

    async def _set(self, key: str, value: object, ttl: int, tags: tuple[str, ...]) -> None:
        try:
            await self._cache.set(key, value, ttl_seconds=ttl, tags=tags)
        except Exception:
            _logger.warning("Query cache write failed for %s; not cached", key, exc_info=True)
