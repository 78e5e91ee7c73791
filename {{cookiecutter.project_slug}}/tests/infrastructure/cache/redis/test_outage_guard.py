from __future__ import annotations

import logging

import pytest

from app.infrastructure.cache.redis.outage_guard import OutageGuard
from tests.infrastructure.cache.counters import cache_errors
from tests.infrastructure.cache.manual_clock import ManualClock

LOGGER = "app.infrastructure.cache.redis.outage_guard"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def guard(clock: ManualClock) -> OutageGuard:
    return OutageGuard("guarded", retry_after_seconds=2.0, warn_every_seconds=30.0, clock=clock)


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_after_an_outage_the_backend_is_left_alone_until_the_retry_window_passes(
    guard: OutageGuard, clock: ManualClock
) -> None:
    guard.failed("get", ConnectionRefusedError("refused"), outage=True)

    assert guard.down
    assert guard.should_skip()
    clock.advance(1.999)
    assert guard.should_skip()
    clock.advance(0.001)
    assert not guard.should_skip()


def test_a_failure_that_is_not_an_outage_does_not_stop_the_backend_being_tried(
    guard: OutageGuard,
) -> None:
    guard.failed("set", ValueError("bad reply"), outage=False)

    assert not guard.down


def test_every_failed_skipped_or_refused_operation_is_counted_by_operation(
    guard: OutageGuard,
) -> None:
    before = {op: cache_errors("guarded", op) for op in ("get", "set", "invalidate")}

    guard.failed("get", TimeoutError("slow"), outage=True)
    guard.skipped("get")
    guard.skipped("set")
    guard.failed("invalidate", TimeoutError("slow"), outage=True)
    guard.refused("signature does not match")

    after = {op: cache_errors("guarded", op) - before[op] for op in before}
    assert after == {"get": 3, "set": 1, "invalidate": 1}


def test_an_outage_logs_one_warning_per_interval_saying_how_many_it_stands_for(
    guard: OutageGuard, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)

    guard.failed("get", ConnectionRefusedError("refused"), outage=True)
    for _ in range(500):
        clock.advance(0.01)
        guard.skipped("get")
    clock.advance(30)
    guard.failed("set", ConnectionRefusedError("refused"), outage=True)

    assert len(warnings(caplog)) == 2
    assert "get failed (ConnectionRefusedError: refused)" in warnings(caplog)[0]
    assert "500 more errors since the last warning" in warnings(caplog)[1]


def test_recovery_is_logged_and_ends_the_outage(
    guard: OutageGuard, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    guard.failed("get", ConnectionRefusedError("refused"), outage=True)
    guard.skipped("get")

    guard.recovered()

    assert not guard.down
    assert "reachable again after 2 failed or skipped operations" in caplog.text
