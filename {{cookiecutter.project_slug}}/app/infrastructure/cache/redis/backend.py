"""Redis query cache: one cache for every replica, invalidated by tag, never a point of failure.

Keys, under `RedisCacheOptions.key_prefix` (`<service>:qc:<schema version>:`):
- `v:<key>` the value, signed and pickled (`signed_pickle`), expiring after the entry's TTL;
- `t:<tag>` a set naming the value keys that carry the tag; its TTL is only ever raised, so it
  outlives its longest-lived member.
`set` writes a value and its tag memberships in one MULTI/EXEC (EXPIRE NX/GT: Redis >= 7.0).
`invalidate_tags` runs one Lua script that deletes the tagged values and the tag sets together,
so an entry written meanwhile is either deleted or still named by its tag set. The script
touches keys it is not given, so use a standalone Redis (or one shard), not Redis Cluster.

When Redis is down, slow or restarting, `get` is a miss and `set` a no-op (`OutageGuard`
counts, warns and backs off). An invalidation that cannot reach Redis is remembered, up to
`max_pending_tags` (`PendingInvalidations`), and replayed before this process reads from Redis
again, so this process never serves an entry it failed to invalidate. The bound elsewhere:
another replica may read such an entry until this process replays the invalidation (on its
next read or invalidation once Redis is back) or the entry expires, whichever comes first; if
this process exits first, or the pending list overflows, the entry's TTL is the only bound.
Keep TTLs short.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence
from typing import cast

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import MaxConnectionsError, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from app.core.cqrs.ports import Cached, checked_ttl_seconds, tag_tuple
from app.infrastructure.cache.metrics import CACHE_HITS, CACHE_MISSES
from app.infrastructure.cache.redis.options import RedisCacheOptions
from app.infrastructure.cache.redis.outage_guard import Clock, OutageGuard
from app.infrastructure.cache.redis.pending_invalidations import PendingInvalidations
from app.infrastructure.cache.redis.signed_pickle import SignedPickleCodec, UnreadableCacheValue

_BACKEND_ERRORS = (RedisError, OSError)
_INVALIDATE_SCRIPT = """
local dropped = 0
for _, tag in ipairs(KEYS) do
  local members = redis.call('SMEMBERS', tag)
  for first = 1, #members, 500 do
    local last = math.min(first + 499, #members)
    dropped = dropped + redis.call('UNLINK', unpack(members, first, last))
  end
  redis.call('UNLINK', tag)
end
return dropped
"""
_TAGS_PER_SCRIPT_CALL = 500


def _is_outage(error: BaseException) -> bool:
    """Failures that mean Redis cannot be reached in time. A full local pool is not one (older
    redis-py releases report it as a plain ConnectionError)."""
    if isinstance(error, MaxConnectionsError) or str(error) == "Too many connections":
        return False
    return isinstance(error, RedisConnectionError | RedisTimeoutError | OSError)


class RedisQueryCache:
    """`QueryCache` in Redis, shared by every process of the service."""

    def __init__(
        self,
        redis: Redis,
        codec: SignedPickleCodec,
        options: RedisCacheOptions,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        self._redis = redis
        self._codec = codec
        self._value_prefix = options.key_prefix + "v:"
        self._tag_prefix = options.key_prefix + "t:"
        self._guard = OutageGuard(
            "redis",
            retry_after_seconds=options.retry_after_seconds,
            warn_every_seconds=options.warn_every_seconds,
            clock=clock,
        )
        self._invalidate = redis.register_script(_INVALIDATE_SCRIPT)
        self._pending = PendingInvalidations("redis", limit=options.max_pending_tags)
        self._replay_lock = asyncio.Lock()
        self._hits = CACHE_HITS.labels(backend="redis")
        self._misses = CACHE_MISSES.labels(backend="redis")

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        secret: str,
        options: RedisCacheOptions,
        clock: Clock = time.monotonic,
    ) -> RedisQueryCache:
        """A cache with its own connection pool, closed by `aclose`."""
        client = Redis.from_url(
            url,
            socket_connect_timeout=options.connect_timeout_seconds,
            socket_timeout=options.read_timeout_seconds,
            max_connections=options.max_connections,
            # One immediate retry re-dials a pooled connection that a Redis restart killed.
            # Anything longer would hold requests hostage to an outage the guard handles.
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        )
        return cls(client, SignedPickleCodec(secret), options, clock=clock)

    @property
    def backend_name(self) -> str:
        return "redis"

    async def get(self, key: str) -> Cached | None:
        guard = self._guard
        if guard.down and guard.should_skip():
            guard.skipped("get")
            return None
        if self._pending and not await self._replay_pending():
            return None
        redis_key = self._value_prefix + key
        try:
            stored = await self._redis.get(redis_key)
        except _BACKEND_ERRORS as exc:
            guard.failed("get", exc, outage=_is_outage(exc))
            return None
        if guard.down:
            guard.recovered()
        if stored is None:
            self._misses.inc()
            return None
        try:
            # The client is built without decode_responses, so values arrive as bytes.
            value = self._codec.decode(redis_key, cast(bytes, stored))
        except UnreadableCacheValue as exc:
            guard.refused(exc)
            return None
        self._hits.inc()
        return Cached(value)

    async def set(
        self, key: str, value: object, *, ttl_seconds: int, tags: Sequence[str] = ()
    ) -> None:
        ttl_ms = checked_ttl_seconds(ttl_seconds) * 1000
        entry_tags = tag_tuple(tags)
        guard = self._guard
        if guard.down and guard.should_skip():
            guard.skipped("set")
            return
        redis_key = self._value_prefix + key
        try:
            stored = self._codec.encode(redis_key, value)
        except Exception as exc:  # an unpicklable result is the query's bug: never fail it here
            guard.failed("set", exc, outage=False)
            return
        try:
            if entry_tags:
                await self._write_tagged(redis_key, stored, ttl_ms, entry_tags)
            else:
                await self._redis.set(redis_key, stored, px=ttl_ms)
        except _BACKEND_ERRORS as exc:
            guard.failed("set", exc, outage=_is_outage(exc))
            return
        if guard.down:
            guard.recovered()

    async def invalidate_tags(self, tags: Iterable[str]) -> None:
        # Every invalidation goes through the pending set, so one that fails is already
        # remembered and one that succeeds also flushes any left from an outage.
        self._pending.add(tag_tuple(tags))
        if not self._pending:
            return
        if self._guard.down and self._guard.should_skip():
            self._guard.skipped("invalidate")
            return
        await self._replay_pending()

    async def ping(self) -> bool:
        """Whether Redis answers now (for readiness); never raises, and ignores the back-off."""
        try:
            return bool(await self._redis.ping())
        except _BACKEND_ERRORS:
            return False

    async def aclose(self) -> None:
        await self._redis.aclose()

    async def _write_tagged(
        self, redis_key: str, stored: bytes, ttl_ms: int, tags: tuple[str, ...]
    ) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(redis_key, stored, px=ttl_ms)
            for tag in tags:
                tag_key = self._tag_prefix + tag
                pipe.sadd(tag_key, redis_key)
                # NX gives a new set its TTL, GT extends an old one: the set never expires
                # before a member it names.
                pipe.pexpire(tag_key, ttl_ms, nx=True)
                pipe.pexpire(tag_key, ttl_ms, gt=True)
            await pipe.execute()

    async def _replay_pending(self) -> bool:
        """Send every pending invalidation; False if Redis could not take them."""
        async with self._replay_lock:
            reached_redis = False
            while self._pending:
                if self._guard.down and self._guard.should_skip():
                    return False  # an earlier caller just failed: do not wait out another timeout
                batch = self._pending.batch(_TAGS_PER_SCRIPT_CALL)
                tag_keys = [self._tag_prefix + tag for tag in batch]
                try:
                    await self._invalidate(keys=tag_keys)
                except _BACKEND_ERRORS as exc:
                    self._guard.failed("invalidate", exc, outage=_is_outage(exc))
                    return False
                reached_redis = True
                self._pending.done(batch)
            if reached_redis and self._guard.down:
                self._guard.recovered()
        return True
