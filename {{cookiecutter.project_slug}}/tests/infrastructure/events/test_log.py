from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import (
    select,
    text,
)

from app.core.cqrs.events import DomainEvent
from app.infrastructure.events.log import append_events, log_head, read_events
from app.infrastructure.events.tables import event_log
from tests.infrastructure.accounts import AccountOpened, FundsDeposited
from tests.support.database import Database


@dataclass(frozen=True, kw_only=True)
class Versioned(DomainEvent):
    aggregate_version: int


@dataclass(frozen=True, kw_only=True)
class VersionedDeposit(DomainEvent):
    aggregate_version: int
    amount: int


# Events that state their version, and events whose version continues the aggregate's log:
# ordering must hold for both.
EventFactory = Callable[[str, int], DomainEvent]
APPEND_PATHS: dict[str, EventFactory] = {
    "versions stated": lambda aggregate_id, index: VersionedDeposit(
        aggregate_id=aggregate_id, aggregate_version=index + 1, amount=index
    ),
    "versions from the log": lambda aggregate_id, index: FundsDeposited(
        aggregate_id=aggregate_id, amount=index
    ),
}
append_paths = pytest.mark.parametrize("make_event", APPEND_PATHS.values(), ids=list(APPEND_PATHS))


async def append_committed(database: Database, *events: DomainEvent) -> list[int]:
    async with database.write.begin() as connection:
        return await append_events(connection, events)


async def test_positions_follow_commit_order_and_versions_follow_each_aggregate(database):
    first = await append_committed(
        database,
        AccountOpened(aggregate_id="a1", owner="Ada"),
        FundsDeposited(aggregate_id="a1", amount=5),
        AccountOpened(aggregate_id="a2", owner="Bob"),
    )
    second = await append_committed(database, FundsDeposited(aggregate_id="a1", amount=7))

    async with database.read.connect() as connection:
        rows = (
            await connection.execute(
                select(
                    event_log.c.position, event_log.c.aggregate_id, event_log.c.aggregate_version
                ).order_by(event_log.c.position)
            )
        ).all()
    assert first == [1, 2, 3]
    assert second == [4]
    assert [tuple(row) for row in rows] == [(1, "a1", 1), (2, "a1", 2), (3, "a2", 1), (4, "a1", 3)]


async def test_an_event_that_states_its_version_is_stored_with_that_version(database):
    await append_committed(database, Versioned(aggregate_id="v", aggregate_version=4))
    async with database.read.connect() as connection:
        version = (await connection.execute(select(event_log.c.aggregate_version))).scalar_one()
    assert version == 4


async def test_events_that_state_their_versions_keep_their_order_and_payloads(database):
    positions = await append_committed(
        database,
        VersionedDeposit(aggregate_id="v", aggregate_version=1, amount=10),
        VersionedDeposit(aggregate_id="w", aggregate_version=1, amount=20),
        VersionedDeposit(aggregate_id="v", aggregate_version=2, amount=30),
    )
    async with database.read.connect() as connection:
        stored = await read_events(connection, after=0, limit=10)
    assert positions == [event.position for event in stored] == [1, 2, 3]
    assert [(e.aggregate_id, e.aggregate_version, e.payload["amount"]) for e in stored] == [
        ("v", 1, 10),
        ("w", 1, 20),
        ("v", 2, 30),
    ]


async def test_reading_returns_events_in_order_within_range_and_types(database):
    await append_committed(
        database,
        AccountOpened(aggregate_id="a1", owner="Ada"),
        FundsDeposited(aggregate_id="a1", amount=1),
        FundsDeposited(aggregate_id="a1", amount=2),
        AccountOpened(aggregate_id="a2", owner="Bob"),
        FundsDeposited(aggregate_id="a2", amount=3),
    )
    head = await log_head(database.write)
    async with database.read.connect() as connection:
        deposits = await read_events(
            connection, after=2, up_to=4, event_types={"FundsDeposited"}, limit=10
        )
        limited = await read_events(connection, after=0, limit=2)

    assert head == 5
    assert [(event.position, event.payload) for event in deposits] == [(3, {"amount": 2})]
    assert [event.position for event in limited] == [1, 2]
    assert limited[0].event_type == "AccountOpened"
    assert limited[0].occurred_at.tzinfo is not None


async def test_an_empty_log_has_head_zero(database):
    assert await log_head(database.write) == 0


stating_versions = APPEND_PATHS["versions stated"]


def postgresql_only(database: Database) -> None:
    if database.backend != "postgresql":
        pytest.skip("on SQLite the write transaction itself excludes other writers")


async def test_appends_stating_their_versions_do_not_wait_for_each_other(database):
    postgresql_only(database)
    async with database.write.connect() as first:
        assert await append_events(first, [stating_versions("a1", 0)]) == [1]
        # Drawn after position 1, committed before it.
        async with asyncio.timeout(10):
            assert await append_committed(database, stating_versions("a2", 0)) == [2]
        await first.commit()


async def test_an_append_reading_versions_from_the_log_waits_for_appends_in_flight(database):
    postgresql_only(database)
    async with database.write.connect() as first:
        await append_events(first, [stating_versions("a1", 0)])
        second_append = asyncio.create_task(
            append_committed(database, FundsDeposited(aggregate_id="a1", amount=2))
        )
        await wait_for_advisory_lock_waiter(database)
        assert not second_append.done()
        await first.commit()
    assert await second_append == [2]


async def test_the_head_waits_until_appends_in_flight_below_it_have_ended(database):
    postgresql_only(database)
    async with database.write.connect() as first:
        assert await append_events(first, [stating_versions("a1", 0)]) == [1]
        assert await append_committed(database, stating_versions("a2", 0)) == [2]
        reading_head = asyncio.create_task(log_head(database.write))
        await wait_for_advisory_lock_waiter(database)
        assert not reading_head.done()  # 2 is committed, but 1 below it is not yet
        await first.commit()
    assert await reading_head == 2


async def wait_for_advisory_lock_waiter(database: Database) -> None:
    query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    async with asyncio.timeout(10), database.read.connect() as connection:
        while True:
            if (await connection.execute(query)).scalar_one() > 0:
                return
            await asyncio.sleep(0.005)


@append_paths
async def test_a_reader_following_the_log_never_skips_a_concurrently_committed_event(
    database, make_event
):
    """Writers pause between drawing positions and committing, the moment a later position
    could overtake an earlier one; a reader chasing the head must still see every event."""
    writers, appends_per_writer = 8, 40
    rng = random.Random(4)
    done = asyncio.Event()

    async def writer(number: int) -> None:
        for index in range(appends_per_writer):
            async with database.write.connect() as connection:
                await append_events(connection, [make_event(f"w{number}", index)])
                await asyncio.sleep(rng.random() / 500)
                await connection.commit()

    async def reader() -> list[int]:
        seen: list[int] = []
        checkpoint = 0
        while True:
            finished = done.is_set()
            head = await log_head(database.write)
            async with database.write.connect() as connection:
                events = await read_events(connection, after=checkpoint, up_to=head, limit=10_000)
            seen.extend(event.position for event in events)
            checkpoint = head
            if finished:
                return seen
            await asyncio.sleep(0)

    reading = asyncio.create_task(reader())
    await asyncio.gather(*(writer(number) for number in range(writers)))
    done.set()
    seen = await reading

    async with database.read.connect() as connection:
        everything = list((await connection.execute(select(event_log.c.position))).scalars())
    assert len(everything) == writers * appends_per_writer
    assert sorted(seen) == seen
    assert seen == sorted(everything)
