"""Redis down, hung, restarted: no operation raises, reads fall through, caching comes back."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from redis.asyncio import Redis

from app.core.cqrs.ports import Cached
from app.infrastructure.cache.redis import RedisCacheOptions, RedisQueryCache
from tests.infrastructure.cache.counters import cache_errors
from tests.infrastructure.cache.manual_clock import ManualClock
from tests.infrastructure.cache.redis.conftest import SECRET, value_key
from tests.infrastructure.cache.redis.redis_process import RedisProcess, spare_port
from tests.infrastructure.cache.sample_values import SUMMARY

GUARD_LOGGER = "app.infrastructure.cache.redis.outage_guard"


def all_errors() -> float:
    return sum(cache_errors("redis", op) for op in ("get", "set", "invalidate"))


async def until(condition: Callable[[], bool], what: str, patience_seconds: float = 15) -> None:
    try:
        async with asyncio.timeout(patience_seconds):
            # Polled: the conditions are counters fed by the traffic workers and Redis itself.
            while not condition():  # noqa: ASYNC110
                await asyncio.sleep(0.005)
    except TimeoutError:
        pytest.fail(f"gave up waiting for {what}")


@pytest.fixture
async def redis_process(tmp_path: Path) -> AsyncIterator[RedisProcess]:
    process = RedisProcess(tmp_path)
    await process.start()
    yield process
    await process.close()


class Traffic:
    """A steady stream of cached reads (filling on a miss) and invalidations, from a few
    concurrent workers; every outcome is recorded under the phase it started in."""

    def __init__(self, cache: RedisQueryCache) -> None:
        self.cache = cache
        self.phase = "before"
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.exceptions: list[BaseException] = []
        self._stopping = asyncio.Event()
        self._workers: list[asyncio.Task[None]] = []

    def start(self, workers: int = 4) -> None:
        self._workers = [asyncio.create_task(self._work(n)) for n in range(workers)]

    async def stop(self) -> None:
        self._stopping.set()
        await asyncio.gather(*self._workers)

    def count(self, phase: str, outcome: str) -> int:
        return self.outcomes[(phase, outcome)]

    async def _work(self, worker: int) -> None:
        n = 0
        while not self._stopping.is_set():
            n += 1
            key = f"user:{(worker + n) % 8}"
            phase = self.phase
            try:
                if n % 25 == 0:
                    await self.cache.invalidate_tags([key])
                    outcome = "invalidated"
                elif (hit := await self.cache.get(key)) is not None:
                    assert hit == Cached(SUMMARY)
                    outcome = "hit"
                else:
                    await self.cache.set(key, SUMMARY, ttl_seconds=60, tags=[key])
                    outcome = "miss"
                self.outcomes[(phase, outcome)] += 1
            except Exception as exc:
                self.exceptions.append(exc)
            await asyncio.sleep(0.001)


async def test_reads_fall_through_while_redis_is_stopped_and_hit_again_once_it_is_restarted(
    redis_process: RedisProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=GUARD_LOGGER)
    cache = RedisQueryCache.from_url(
        redis_process.url,
        secret=SECRET,
        options=RedisCacheOptions(
            service_name="outage",
            connect_timeout_seconds=0.1,
            read_timeout_seconds=0.1,
            retry_after_seconds=0.05,
            warn_every_seconds=600,
        ),
    )
    traffic = Traffic(cache)
    errors_before = all_errors()
    traffic.start()
    try:
        await until(lambda: traffic.count("before", "hit") >= 50, "hits before the outage")

        await redis_process.stop()
        traffic.phase = "outage"
        await until(
            lambda: (
                traffic.count("outage", "miss") >= 200
                and traffic.count("outage", "invalidated") >= 5
            ),
            "reads and invalidations during the outage",
        )

        traffic.phase = "restarting"
        await redis_process.start()
        traffic.phase = "after"
        await until(lambda: traffic.count("after", "hit") >= 50, "hits after the restart")
    finally:
        await traffic.stop()
        await cache.aclose()

    assert traffic.exceptions == []
    assert traffic.count("outage", "hit") == 0
    assert all_errors() - errors_before >= 200
    # One outage, one warning: the log is not flooded however many operations failed.
    outage_warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(outage_warnings) == 1


async def test_an_invalidation_lost_while_redis_hangs_is_applied_before_the_next_read(
    redis_process: RedisProcess,
) -> None:
    clock = ManualClock()
    cache = RedisQueryCache.from_url(
        redis_process.url,
        secret=SECRET,
        options=RedisCacheOptions(
            service_name="hang", read_timeout_seconds=0.1, retry_after_seconds=5
        ),
        clock=clock,
    )
    inspector = Redis.from_url(redis_process.url)
    try:
        await cache.set("user:1", "old name", ttl_seconds=60, tags=["user:1"])
        assert await cache.get("user:1") == Cached("old name")

        redis_process.freeze()
        assert await cache.get("user:1") is None  # timed out: a miss, and Redis is left alone
        await cache.invalidate_tags(["user:1"])  # skipped: remembered, not sent
        await cache.set("user:2", "new", ttl_seconds=60)  # skipped
        redis_process.thaw()

        # Redis is back and still holds the stale entry the invalidation was meant to drop.
        assert await inspector.exists(value_key("hang", "user:1")) == 1
        clock.advance(5)
        assert await cache.get("user:1") is None
        assert await inspector.exists(value_key("hang", "user:1")) == 0
        await cache.set("user:1", "new name", ttl_seconds=60, tags=["user:1"])
        assert await cache.get("user:1") == Cached("new name")
    finally:
        await cache.aclose()
        await inspector.aclose()


async def test_invalidations_past_the_pending_limit_are_bounded_by_the_entry_ttl_alone(
    redis_process: RedisProcess, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock()
    options = RedisCacheOptions(
        service_name="overflow", read_timeout_seconds=0.1, retry_after_seconds=5, max_pending_tags=2
    )
    cache = RedisQueryCache.from_url(redis_process.url, secret=SECRET, options=options, clock=clock)
    try:
        for n in (1, 2, 3):
            await cache.set(f"user:{n}", n, ttl_seconds=60, tags=[f"user:{n}"])
        redis_process.freeze()
        assert await cache.get("user:1") is None
        await cache.invalidate_tags(["user:1", "user:2", "user:3"])
        redis_process.thaw()
        clock.advance(5)

        assert await cache.get("user:1") is None
        assert await cache.get("user:2") is None
        assert await cache.get("user:3") == Cached(3)  # forgotten: stale until it expires
        assert "dropping the rest" in caplog.text
        assert "1 more were dropped" in caplog.text
    finally:
        await cache.aclose()


async def test_with_no_redis_at_all_every_operation_is_a_counted_miss_or_no_op() -> None:
    cache = RedisQueryCache.from_url(
        f"redis://127.0.0.1:{spare_port()}/0",
        secret=SECRET,
        options=RedisCacheOptions(service_name="nowhere", retry_after_seconds=0),
    )
    before = {op: cache_errors("redis", op) for op in ("get", "set", "invalidate")}
    try:
        assert await cache.get("user:1") is None
        await cache.set("user:1", "ada", ttl_seconds=60, tags=["user:1"])
        await cache.set("user:2", "bob", ttl_seconds=60)
        await cache.invalidate_tags(["user:1"])
        assert await cache.get("user:1") is None
    finally:
        await cache.aclose()

    after = {op: cache_errors("redis", op) - before[op] for op in before}
    # The pending invalidation is retried before each read, and fails again each time.
    assert after == {"get": 1, "set": 2, "invalidate": 2}


async def test_ping_tells_whether_redis_answers_and_never_raises(
    redis_process: RedisProcess,
) -> None:
    cache = RedisQueryCache.from_url(
        redis_process.url, secret=SECRET, options=RedisCacheOptions(service_name="pinged")
    )
    try:
        assert await cache.ping() is True
        await redis_process.stop()
        assert await cache.ping() is False
        await redis_process.start()
        assert await cache.ping() is True
    finally:
        await cache.aclose()
