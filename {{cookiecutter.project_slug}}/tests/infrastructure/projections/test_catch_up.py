from __future__ import annotations

import logging

import pytest

from app.infrastructure.events.stored import RecordedEvent
from app.infrastructure.projections.catch_up import ProjectionCatchUp
from app.infrastructure.projections.checkpoints import claim_checkpoint
from tests.infrastructure.accounts import (
    AccountBalances,
    application_counts,
    balances,
    deposit,
    open_account,
)
from tests.infrastructure.projections.history import deposit_committed, write_history
from tests.support.database import Database
from tests.support.projections import read_checkpoints


async def checkpoint(database: Database, name: str) -> int:
    async with database.read.connect() as connection:
        return (await read_checkpoints(connection, [name]))[name]


class Latecomer(AccountBalances):
    """A second balances projection, to run beside (or after) the first."""

    name = "test_latecomer"


async def test_catching_up_applies_every_event_and_moves_the_checkpoint_to_the_head(
    factory, database
):
    await write_history(factory)
    catch_up = ProjectionCatchUp(database.write, [AccountBalances()], batch_size=2)

    outcome = await catch_up.run_pass()

    assert outcome.applied == 5
    assert outcome.complete
    assert await balances(database.read) == {"a1": (15, 2), "a2": (1, 1)}
    assert await checkpoint(database, AccountBalances.name) == 5


async def test_healthy_projections_catch_up_together_without_falling_back(
    factory, database, caplog
):
    await write_history(factory)
    catch_up = ProjectionCatchUp(database.write, [AccountBalances(), Latecomer()], batch_size=2)

    with caplog.at_level(logging.WARNING, logger="app.infrastructure.projections.catch_up"):
        outcome = await catch_up.run_pass()

    assert outcome.complete
    assert outcome.applied == 2 * 5
    assert caplog.records == []  # no shared batch failed over to one transaction per projection


async def test_catching_up_again_applies_nothing_twice(factory, database):
    await write_history(factory)
    catch_up = ProjectionCatchUp(database.write, [AccountBalances()])
    await catch_up.run_pass()

    again = await catch_up.run_pass()

    assert again.applied == 0
    assert await balances(database.read) == {"a1": (15, 2), "a2": (1, 1)}
    assert set((await application_counts(database.read)).values()) == {1}


async def test_events_after_the_checkpoint_are_the_only_ones_applied(factory, database):
    catch_up = ProjectionCatchUp(database.write, [AccountBalances()])
    unit_of_work = await factory.begin()
    await open_account(unit_of_work, "a1", "Ada")
    await unit_of_work.commit()
    await catch_up.run_pass()
    unit_of_work = await factory.begin()
    await deposit(unit_of_work, "a1", 3)
    await unit_of_work.commit()

    outcome = await catch_up.run_pass()

    assert outcome.applied == 1
    assert await application_counts(database.read) == {1: 1, 2: 1}


async def test_the_checkpoint_passes_events_the_projection_does_not_handle(factory, database):
    class OpeningsOnly(AccountBalances):
        name = "test_openings_only"
        handles = AccountBalances.handles[:1]

    await write_history(factory)
    outcome = await ProjectionCatchUp(database.write, [OpeningsOnly()]).run_pass()

    assert outcome.applied == 2
    assert await checkpoint(database, "test_openings_only") == 5


async def test_projections_at_different_checkpoints_each_apply_only_what_follows_their_own(
    factory, database
):
    await write_history(factory)
    await ProjectionCatchUp(database.write, [AccountBalances()]).run_pass()
    await deposit_committed(factory, "a2", 2)
    # Two events per shared batch: the first batches end before the first projection's
    # checkpoint, which must stay where it is until the batches pass it.
    catch_up = ProjectionCatchUp(database.write, [AccountBalances(), Latecomer()], batch_size=2)

    outcome = await catch_up.run_pass()

    assert outcome.complete
    assert outcome.applied == 1 + 6
    for name in (AccountBalances.name, Latecomer.name):
        assert await balances(database.read, name) == {"a1": (15, 2), "a2": (3, 2)}
        assert await application_counts(database.read, name) == dict.fromkeys(range(1, 7), 1)
        assert await checkpoint(database, name) == 6


async def test_a_failing_projection_keeps_its_checkpoint_and_the_others_carry_on(factory, database):
    async def fail_on_third_event(recorded: RecordedEvent) -> None:
        if recorded.position == 3:
            raise RuntimeError("bug in projection")

    class Healthy(AccountBalances):
        name = "test_healthy"

    await write_history(factory)
    broken = AccountBalances(gate=fail_on_third_event)
    catch_up = ProjectionCatchUp(database.write, [broken, Healthy()], batch_size=10)

    outcome = await catch_up.run_pass()

    assert outcome.failed == (AccountBalances.name,)
    assert await checkpoint(database, AccountBalances.name) == 0
    assert await checkpoint(database, "test_healthy") == 5
    # The failed batch rolled back whole.
    assert await application_counts(database.read) == {}
    assert await balances(database.read, "test_healthy") == {"a1": (15, 2), "a2": (1, 1)}

    broken.gate = None
    assert (await catch_up.run_pass()).complete
    assert await checkpoint(database, AccountBalances.name) == 5


def test_projection_names_must_be_unique(database):
    with pytest.raises(ValueError, match="unique"):
        ProjectionCatchUp(database.write, [AccountBalances(), AccountBalances()])


async def test_a_projection_claimed_elsewhere_is_skipped_not_waited_for_and_the_others_go_on(
    factory, database
):
    if database.backend != "postgresql":
        pytest.skip("SQLite has no row locks; its write lock makes claimants queue instead")
    await write_history(factory)
    catch_up = ProjectionCatchUp(database.write, [AccountBalances(), Latecomer()])
    await catch_up.run_pass()
    await deposit_committed(factory, "a2", 2)

    async with database.write.begin() as other_projector:
        assert await claim_checkpoint(other_projector, AccountBalances.name, wait=False) == 5
        outcome = await catch_up.run_pass()

    assert outcome.busy == (AccountBalances.name,)
    assert not outcome.complete
    assert outcome.applied == 1
    assert await checkpoint(database, Latecomer.name) == 6
    assert await checkpoint(database, AccountBalances.name) == 5
    # Released, it catches up at the next pass.
    assert (await catch_up.run_pass()).applied == 1
    assert await checkpoint(database, AccountBalances.name) == 6
