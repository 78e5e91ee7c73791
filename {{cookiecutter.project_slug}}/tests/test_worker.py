# The database fixtures are imported (tests/conftest.py does not load them), which ruff
# takes for redefinitions wherever a test names them.
# ruff: noqa: F811
from __future__ import annotations

import asyncio

import pytest

from app.infrastructure.db.engines import create_write_engine
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.events.stored import RecordedEvent
from app.infrastructure.projections.catch_up import ProjectionCatchUp
from app.infrastructure.projections.rebuild import rebuild_projection
from app.worker import ProjectionWorker
from tests.infrastructure.accounts import (
    AccountBalances,
    application_counts,
    balances,
    create_account_tables,
    deposit,
    open_account,
)
from tests.support.database import (  # noqa: F401 - fixtures
    Database,
    database,
    migrated_database_url,
)
from tests.support.projections import caught_up, read_checkpoints


class Deposits(AccountBalances):
    name = "test_deposits"


@pytest.fixture
async def factory(database: Database) -> SqlAlchemyUnitOfWorkFactory:
    await create_account_tables(database.write)
    return SqlAlchemyUnitOfWorkFactory(database.write)


async def write_deposits(factory: SqlAlchemyUnitOfWorkFactory, accounts: int, deposits: int) -> int:
    """Open `accounts` accounts, then `deposits` rounds of one deposit each; the last position."""
    unit_of_work = await factory.begin()
    for number in range(accounts):
        await open_account(unit_of_work, f"a{number}", f"owner {number}")
    await unit_of_work.commit()
    for round_number in range(deposits):
        unit_of_work = await factory.begin()
        for number in range(accounts):
            await deposit(unit_of_work, f"a{number}", round_number + number)
        await unit_of_work.commit()
    assert unit_of_work.last_event_position is not None
    return unit_of_work.last_event_position


async def wait_until_caught_up(database: Database, names: list[str], position: int) -> None:
    assert await caught_up(database.read, names, position, timeout_seconds=30)


async def test_the_worker_catches_up_and_stops_when_asked(factory, database):
    last = await write_deposits(factory, accounts=3, deposits=4)
    stop = asyncio.Event()
    catch_up = ProjectionCatchUp(database.write, [AccountBalances()], batch_size=4)
    running = asyncio.create_task(ProjectionWorker(catch_up, poll_interval_seconds=0.01).run(stop))

    await wait_until_caught_up(database, [AccountBalances.name], last)
    stop.set()
    await asyncio.wait_for(running, 10)

    assert await balances(database.read) == {"a0": (6, 4), "a1": (10, 4), "a2": (14, 4)}


async def test_the_worker_touches_its_heartbeat_file_after_each_pass(factory, database, tmp_path):
    heartbeat = tmp_path / "heartbeat"
    stop = asyncio.Event()
    catch_up = ProjectionCatchUp(database.write, [AccountBalances()], batch_size=4)
    worker = ProjectionWorker(catch_up, poll_interval_seconds=0.01, heartbeat_file=heartbeat)
    running = asyncio.create_task(worker.run(stop))

    for _ in range(500):
        if heartbeat.exists():
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(running, 10)

    assert heartbeat.exists()


async def test_a_worker_killed_mid_batch_and_restarted_leaves_what_a_rebuild_would(
    factory, database
):
    last = await write_deposits(factory, accounts=4, deposits=10)
    in_batch, never = asyncio.Event(), asyncio.Event()

    async def hang_inside_second_batch(recorded: RecordedEvent) -> None:
        if recorded.position == 15:
            in_batch.set()
            await never.wait()

    doomed = ProjectionCatchUp(
        database.write, [AccountBalances(gate=hang_inside_second_batch)], batch_size=10
    )
    killed = asyncio.create_task(
        ProjectionWorker(doomed, poll_interval_seconds=0.01).run(asyncio.Event())
    )
    await asyncio.wait_for(in_batch.wait(), 10)
    killed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await killed
    async with database.read.connect() as connection:
        assert await read_checkpoints(connection, [AccountBalances.name]) == {
            AccountBalances.name: 10
        }

    stop = asyncio.Event()
    restarted = ProjectionCatchUp(database.write, [AccountBalances()], batch_size=10)
    running = asyncio.create_task(ProjectionWorker(restarted, poll_interval_seconds=0.01).run(stop))
    await wait_until_caught_up(database, [AccountBalances.name], last)
    stop.set()
    await running
    after_restart = await balances(database.read)

    assert set((await application_counts(database.read)).values()) == {1}
    await rebuild_projection(database.write, AccountBalances())
    assert after_restart == await balances(database.read)


async def test_two_workers_at_once_never_apply_an_event_twice(factory, database):
    if database.backend != "postgresql":
        pytest.skip("several workers are a PostgreSQL deployment")
    projections = [AccountBalances(), Deposits()]
    names = [projection.name for projection in projections]
    stop = asyncio.Event()
    engines = [create_write_engine(database.settings) for _ in range(2)]
    workers = [
        asyncio.create_task(
            ProjectionWorker(
                ProjectionCatchUp(engine, projections, batch_size=3), poll_interval_seconds=0.001
            ).run(stop)
        )
        for engine in engines
    ]
    try:
        writers = [write_deposits_for(factory, f"w{number}", 15) for number in range(4)]
        last = max(await asyncio.gather(*writers))
        await wait_until_caught_up(database, names, last)
    finally:
        stop.set()
        await asyncio.gather(*workers)
        for engine in engines:
            await engine.dispose()

    for name in names:
        counts = await application_counts(database.read, name)
        assert len(counts) == last
        assert set(counts.values()) == {1}
    incremental = await balances(database.read)
    await rebuild_projection(database.write, AccountBalances())
    assert await balances(database.read) == incremental


async def write_deposits_for(
    factory: SqlAlchemyUnitOfWorkFactory, account_id: str, deposits: int
) -> int:
    unit_of_work = await factory.begin()
    await open_account(unit_of_work, account_id, account_id)
    await unit_of_work.commit()
    for amount in range(deposits):
        unit_of_work = await factory.begin()
        await deposit(unit_of_work, account_id, amount)
        await unit_of_work.commit()
    assert unit_of_work.last_event_position is not None
    return unit_of_work.last_event_position
