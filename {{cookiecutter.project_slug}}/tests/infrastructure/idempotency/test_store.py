"""The idempotency store on a real database: reserve, record, replay, refuse, expire."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from app.infrastructure.idempotency.store import (
    IdempotencyStore,
    KeyReused,
    RecordedResponse,
    Replay,
    Reserved,
    StillRunning,
)
from tests.support.database import Database

CREATED = RecordedResponse(201, b'{"id": "1"}', {"content-type": "application/json"})


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(database: Database, clock: Clock) -> IdempotencyStore:
    return IdempotencyStore(database.write, ttl_seconds=3600, lease_seconds=60, clock=clock)


async def test_the_first_request_with_a_key_reserves_it(store: IdempotencyStore) -> None:
    assert await store.reserve("scope", "key", "fp") == Reserved()


async def test_a_repeat_after_the_response_was_recorded_replays_it(store: IdempotencyStore) -> None:
    await store.reserve("scope", "key", "fp")
    await store.record("scope", "key", CREATED)

    assert await store.reserve("scope", "key", "fp") == Replay(CREATED)


async def test_a_repeat_while_the_first_still_runs_is_told_so(store: IdempotencyStore) -> None:
    await store.reserve("scope", "key", "fp")

    assert await store.reserve("scope", "key", "fp") == StillRunning()


async def test_the_key_with_a_different_request_is_refused(store: IdempotencyStore) -> None:
    await store.reserve("scope", "key", "fp")
    await store.record("scope", "key", CREATED)

    assert await store.reserve("scope", "key", "another") == KeyReused()


async def test_keys_are_separate_per_scope(store: IdempotencyStore) -> None:
    await store.reserve("alice", "key", "fp")

    assert await store.reserve("bob", "key", "other") == Reserved()


async def test_a_released_key_can_be_reserved_again(store: IdempotencyStore) -> None:
    await store.reserve("scope", "key", "fp")
    await store.release("scope", "key")

    assert await store.reserve("scope", "key", "fp") == Reserved()


async def test_releasing_never_forgets_a_recorded_response(store: IdempotencyStore) -> None:
    await store.reserve("scope", "key", "fp")
    await store.record("scope", "key", CREATED)
    await store.release("scope", "key")

    assert await store.reserve("scope", "key", "fp") == Replay(CREATED)


async def test_an_abandoned_reservation_is_taken_over_after_the_lease(
    store: IdempotencyStore, clock: Clock
) -> None:
    await store.reserve("scope", "key", "fp")
    clock.advance(61)

    assert await store.reserve("scope", "key", "fp") == Reserved()
    assert await store.reserve("scope", "key", "fp") == StillRunning()


async def test_an_expired_key_starts_afresh_even_for_another_request(
    store: IdempotencyStore, clock: Clock
) -> None:
    await store.reserve("scope", "key", "fp")
    await store.record("scope", "key", CREATED)
    clock.advance(3601)

    assert await store.reserve("scope", "key", "another") == Reserved()


async def test_purging_forgets_only_expired_keys(store: IdempotencyStore, clock: Clock) -> None:
    await store.reserve("scope", "old", "fp")
    clock.advance(1800)
    await store.reserve("scope", "new", "fp")
    await store.record("scope", "new", CREATED)
    clock.advance(1801)

    assert await store.purge_expired() == 1
    assert await store.reserve("scope", "new", "fp") == Replay(CREATED)


async def test_concurrent_reservations_of_one_key_let_exactly_one_run(
    store: IdempotencyStore,
) -> None:
    outcomes = await asyncio.gather(*(store.reserve("scope", "key", "fp") for _ in range(8)))

    assert outcomes.count(Reserved()) == 1
    assert outcomes.count(StillRunning()) == 7
