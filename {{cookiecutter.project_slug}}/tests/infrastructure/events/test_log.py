from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DBAPIError

from app.core.cqrs.events import DomainEvent
from app.infrastructure.db.types import UTCDateTime
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


# On PostgreSQL, events that state their version are appended by one statement that also takes
# the lock; the others need the log's versions first. Ordering must hold on both paths.
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


# Rows of another table, written with the events: every kind of column the app's tables use.
notes_metadata = MetaData()
notes = Table(
    "test_commit_notes",
    notes_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", Uuid(), nullable=False),
    Column("label", String(50), nullable=False),
    Column("comment", String(50), nullable=True),
    Column("weight", Float(), nullable=False),
    Column("flag", Boolean(), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("body", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    Column("plain", JSON(), nullable=False),  # json, not jsonb, on PostgreSQL
)
NOTES = [
    {
        "key": UUID(int=1),
        "label": "first 'quoted'",
        "comment": None,
        "weight": 1.5,
        "flag": True,
        "at": datetime(2030, 1, 1, 12, tzinfo=UTC),
        "body": {"nested": [1, "two", None], "text": "ünï\\code"},
        "plain": [1, {"a": "b"}],
    },
    {
        "key": UUID(int=2),
        "label": "second",
        "comment": "c",
        "weight": -0.25,
        "flag": False,
        "at": datetime(2030, 1, 2, 13, 30, tzinfo=timezone(timedelta(hours=2))),
        "body": {},
        "plain": "text",
    },
]


async def stored_notes(database: Database) -> list[dict[str, object]]:
    async with database.read.connect() as connection:
        rows = await connection.execute(select(notes).order_by(notes.c.id))
        return [{key: value for key, value in row._mapping.items() if key != "id"} for row in rows]


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
    async with database.read.connect() as connection:
        head = await log_head(connection)
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
    async with database.read.connect() as connection:
        assert await log_head(connection) == 0


@append_paths
@pytest.mark.parametrize("how_many", [1, 2])
async def test_rows_of_other_tables_are_written_with_the_events(database, make_event, how_many):
    async with database.write.begin() as connection:
        await connection.run_sync(notes_metadata.create_all)
    try:
        async with database.write.begin() as connection:
            positions = await append_events(
                connection, [make_event("n", 0)], with_rows=[(notes, NOTES[:how_many])]
            )
        assert positions == [1]
        assert await stored_notes(database) == NOTES[:how_many]
        async with database.write.connect() as connection:
            await append_events(connection, [make_event("n", 1)], with_rows=[(notes, NOTES)])
            await connection.rollback()
        assert await stored_notes(database) == NOTES[:how_many]
    finally:
        async with database.write.begin() as connection:
            await connection.run_sync(notes_metadata.drop_all)


async def test_rows_are_written_even_without_events(database):
    async with database.write.begin() as connection:
        await connection.run_sync(notes_metadata.create_all)
    try:
        async with database.write.begin() as connection:
            assert await append_events(connection, [], with_rows=[(notes, NOTES)]) == []
        assert await stored_notes(database) == NOTES
    finally:
        async with database.write.begin() as connection:
            await connection.run_sync(notes_metadata.drop_all)


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


@append_paths
async def test_the_head_waits_until_appends_in_flight_have_ended(database, make_event):
    postgresql_only(database)
    async with database.write.connect() as first:
        assert await append_events(first, [make_event("a1", 0)]) == [1]
        reading_head = asyncio.create_task(read_head(database))
        await wait_for_advisory_lock_waiter(database)
        assert not reading_head.done()  # position 1 is drawn but not yet committed
        await first.commit()
    assert await reading_head == 1


async def test_the_head_refuses_to_read_under_a_snapshot_isolation(database):
    postgresql_only(database)
    async with database.write.connect() as connection:
        await connection.execution_options(isolation_level="REPEATABLE READ")
        with pytest.raises(DBAPIError, match="needs READ COMMITTED"):
            await log_head(connection)


async def read_head(database: Database) -> int:
    async with database.read.connect() as connection:
        return await log_head(connection)


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
    writers, appends_per_writer = 8, 15
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
            async with database.write.connect() as connection:
                head = await log_head(connection)
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
