from __future__ import annotations

import asyncio

import pytest

from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.events.stored import RecordedEvent
from app.infrastructure.projections.catch_up import PassOutcome, ProjectionCatchUp
from app.infrastructure.projections.checkpoints import claim_checkpoint
from app.infrastructure.projections.in_process import InProcessProjectionRunner
from tests.infrastructure.accounts import (
    AccountBalances,
    AccountOpened,
    balances,
    create_account_tables,
)
from tests.infrastructure.projections.history import deposit_committed, write_history
from tests.support.database import Database
from tests.support.projections import caught_up


class Harness:
    def __init__(
        self, database: Database, projection: AccountBalances, stop_grace_seconds: float = 5.0
    ) -> None:
        catch_up = ProjectionCatchUp(database.write, [projection])
        self.runner = InProcessProjectionRunner(
            catch_up, retry_delay_seconds=0.01, stop_grace_seconds=stop_grace_seconds
        )
        self.factory = SqlAlchemyUnitOfWorkFactory(database.write, after_commit=[self.runner])
        self.read_engine = database.read
        self.names = [projection.name]

    async def caught_up_with(self, position: int, timeout_seconds: float = 10) -> bool:
        return await caught_up(
            self.read_engine, self.names, position, timeout_seconds=timeout_seconds
        )


@pytest.fixture
async def harness(database: Database):
    await create_account_tables(database.write)
    harness = Harness(database, AccountBalances())
    yield harness
    await harness.runner.stop()


async def test_committed_events_reach_the_read_model_without_anyone_asking(harness, database):
    await harness.runner.start()

    last = await write_history(harness.factory)

    assert await harness.caught_up_with(last)
    assert await balances(database.read) == {"a1": (15, 2), "a2": (1, 1)}


async def test_on_start_it_catches_up_with_what_was_committed_while_it_was_stopped(
    harness, database
):
    last = await write_history(harness.factory)
    assert await balances(database.read) == {}

    await harness.runner.start()

    assert await harness.caught_up_with(last)
    assert await balances(database.read) == {"a1": (15, 2), "a2": (1, 1)}


async def test_a_failing_projection_is_retried_until_it_succeeds(database):
    await create_account_tables(database.write)
    failures = 3

    async def flaky(recorded: RecordedEvent) -> None:
        nonlocal failures
        if failures:
            failures -= 1
            raise RuntimeError("read model briefly unavailable")

    harness = Harness(database, AccountBalances(gate=flaky))
    await harness.runner.start()
    try:
        last = await write_history(harness.factory)
        assert await harness.caught_up_with(last)
    finally:
        await harness.runner.stop()
    assert failures == 0
    assert await balances(database.read) == {"a1": (15, 2), "a2": (1, 1)}


async def test_a_projection_held_by_another_process_is_picked_up_once_released(harness, database):
    if database.backend != "postgresql":
        pytest.skip("SQLite has no row locks; its write lock makes claimants queue instead")
    await harness.runner.start()
    assert await harness.caught_up_with(await write_history(harness.factory))

    async with database.write.begin() as other_process:
        assert await claim_checkpoint(other_process, AccountBalances.name, wait=True) == 5
        last = await deposit_committed(harness.factory, "a2", 7)
        assert not await harness.caught_up_with(last, timeout_seconds=0.05)

    # No further commit wakes the runner: its own retry must find the released projection.
    assert await harness.caught_up_with(last)
    assert await balances(database.read) == {"a1": (15, 2), "a2": (8, 2)}


async def test_stopping_lets_the_pass_under_way_finish_and_commit(database):
    await create_account_tables(database.write)
    entered, release = asyncio.Event(), asyncio.Event()

    async def hold_on_fourth(recorded: RecordedEvent) -> None:
        if recorded.position == 4 and not release.is_set():
            entered.set()
            await release.wait()

    harness = Harness(database, AccountBalances(gate=hold_on_fourth))
    await write_history(harness.factory)
    await harness.runner.start()
    await asyncio.wait_for(entered.wait(), 10)

    stopping = asyncio.create_task(harness.runner.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()  # waiting for the pass, not cancelling it
    release.set()
    await asyncio.wait_for(stopping, 10)

    assert await balances(database.read) == {"a1": (15, 2), "a2": (1, 1)}


async def test_a_pass_stuck_past_the_grace_period_is_cancelled_and_redone_on_restart(database):
    await create_account_tables(database.write)
    entered, release = asyncio.Event(), asyncio.Event()

    async def hold_on_fourth(recorded: RecordedEvent) -> None:
        if recorded.position == 4 and not release.is_set():
            entered.set()
            await release.wait()

    harness = Harness(database, AccountBalances(gate=hold_on_fourth), stop_grace_seconds=0.05)
    last = await write_history(harness.factory)
    await harness.runner.start()
    await asyncio.wait_for(entered.wait(), 10)
    await harness.runner.stop()
    assert await balances(database.read) == {}  # the interrupted batch rolled back whole

    release.set()
    await harness.runner.start()
    try:
        assert await harness.caught_up_with(last)
    finally:
        await harness.runner.stop()
    assert await balances(database.read) == {"a1": (15, 2), "a2": (1, 1)}


class TimedPasses(ProjectionCatchUp):
    """Passes that take `seconds` each and note when they began and ended (loop time)."""

    def __init__(self, database: Database, seconds: float) -> None:
        super().__init__(database.write, [])
        self.seconds = seconds
        self.passes: list[tuple[float, float]] = []
        self.second_pass_ended = asyncio.Event()

    async def run_pass(self) -> PassOutcome:
        loop = asyncio.get_running_loop()
        began = loop.time()
        await asyncio.sleep(self.seconds)
        self.passes.append((began, loop.time()))
        if len(self.passes) == 2:
            self.second_pass_ended.set()
        return PassOutcome(applied=1, busy=(), failed=())


async def test_a_commit_during_a_pass_is_projected_after_a_rest_as_long_as_that_pass(database):
    catch_up = TimedPasses(database, seconds=0.05)
    runner = InProcessProjectionRunner(catch_up, max_rest_seconds=10)
    await runner.start()
    try:
        await asyncio.sleep(0)  # the first pass is under way
        await runner([AccountOpened(aggregate_id="a1", owner="Ada")])
        async with asyncio.timeout(10):
            await catch_up.second_pass_ended.wait()
    finally:
        await runner.stop()

    (first_began, first_ended), (second_began, _) = catch_up.passes[:2]
    # A lower bound only: the rest lets the commits of a busy server gather into one pass.
    assert second_began - first_ended >= first_ended - first_began - 0.001
