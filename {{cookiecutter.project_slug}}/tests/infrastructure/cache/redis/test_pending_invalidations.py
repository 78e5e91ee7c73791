from __future__ import annotations

import logging

import pytest

from app.infrastructure.cache.redis.pending_invalidations import PendingInvalidations
from tests.infrastructure.cache.counters import cache_errors

LOGGER = "app.infrastructure.cache.redis.pending_invalidations"


def test_tags_stay_pending_until_they_are_reported_done() -> None:
    pending = PendingInvalidations("pending", limit=10)
    pending.add(["a", "b", "c"])

    batch = pending.batch(2)

    assert len(batch) == 2
    assert set(pending.batch(10)) == {"a", "b", "c"}
    pending.done(batch)
    assert pending.batch(10) == sorted({"a", "b", "c"} - set(batch))
    pending.done(pending.batch(10))
    assert not pending


def test_a_tag_already_pending_takes_no_more_room() -> None:
    pending = PendingInvalidations("pending", limit=2)

    pending.add(["a", "b"])
    pending.add(["a", "b", "a"])

    assert sorted(pending.batch(10)) == ["a", "b"]


def test_past_the_limit_tags_are_dropped_counted_and_reported_once_then_summed_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger=LOGGER)
    pending = PendingInvalidations("pending", limit=2)
    errors = cache_errors("pending", "invalidate")

    pending.add(["a", "b", "c"])
    pending.add(["d", "e"])

    assert sorted(pending.batch(10)) == ["a", "b"]
    assert cache_errors("pending", "invalidate") - errors == 3
    assert len(caplog.records) == 1
    pending.done(["a", "b"])
    assert len(caplog.records) == 2
    assert "3 more were dropped" in caplog.records[1].getMessage()
