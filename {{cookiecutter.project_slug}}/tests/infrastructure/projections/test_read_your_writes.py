from __future__ import annotations

import asyncio

import pytest

from app.infrastructure.projections.catch_up import ProjectionCatchUp
from app.infrastructure.projections.read_your_writes import ReadModelPositions
from tests.infrastructure.accounts import AccountBalances
from tests.infrastructure.projections.history import write_history


class Deposits(AccountBalances):
    name = "test_deposits"
    handles = AccountBalances.handles[1:]


async def test_a_read_model_already_at_the_position_needs_no_wait(factory, database):
    last = await write_history(factory)
    await ProjectionCatchUp(database.write, [AccountBalances()]).run_pass()
    positions = ReadModelPositions(database.read, [AccountBalances.name])

    assert await positions.wait_for_position(AccountBalances.name, last, timeout_seconds=0)


async def test_waiting_gives_up_after_the_timeout_and_says_so(factory, database):
    last = await write_history(factory)
    positions = ReadModelPositions(database.read, [AccountBalances.name])

    assert not await positions.wait_for_position(None, last, timeout_seconds=0.05)
    assert await positions.position() == 0


async def test_a_waiter_returns_once_a_projector_catches_up(factory, database):
    last = await write_history(factory)
    positions = ReadModelPositions(
        database.read, [AccountBalances.name], poll_interval_seconds=0.01
    )
    waiting = asyncio.create_task(positions.wait_for_position(None, last, timeout_seconds=10))
    await asyncio.sleep(0)

    await ProjectionCatchUp(database.write, [AccountBalances()]).run_pass()

    assert await waiting


async def test_waiting_for_all_projections_waits_for_the_slowest(factory, database):
    last = await write_history(factory)
    await ProjectionCatchUp(database.write, [Deposits()]).run_pass()
    positions = ReadModelPositions(database.read, [AccountBalances.name, Deposits.name])

    assert await positions.wait_for_position(Deposits.name, last, timeout_seconds=0)
    assert not await positions.wait_for_position(None, last, timeout_seconds=0.02)
    assert not await positions.wait_for_position(
        [Deposits.name, AccountBalances.name], last, timeout_seconds=0.02
    )


async def test_there_must_be_something_to_wait_for(database):
    positions = ReadModelPositions(database.read, [])
    with pytest.raises(ValueError, match="no projections"):
        await positions.wait_for_position(None, 1, timeout_seconds=1)
