"""Turns at a pool go first come first served, and waiting for one is bounded."""

from __future__ import annotations

import asyncio

import pytest

from app.infrastructure.db.errors import UnavailableError
from app.infrastructure.db.pool_turns import PoolTurns
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.support.database import Database


async def test_a_released_turn_goes_to_the_oldest_waiter_not_to_a_newcomer():
    turns = PoolTurns(1, timeout_seconds=5)
    order: list[str] = []

    async def use(name: str) -> None:
        await turns.take()
        order.append(name)
        await asyncio.sleep(0)
        turns.give_back()

    await turns.take()
    waiters = [asyncio.ensure_future(use(name)) for name in ("first", "second")]
    await asyncio.sleep(0)  # both are waiting now
    turns.give_back()
    # Asks in the same step as the release, before the woken waiter has had a chance to run.
    await use("newcomer")
    await asyncio.gather(*waiters)

    assert order == ["first", "second", "newcomer"]


async def test_waiting_longer_than_the_timeout_is_a_timeout():
    turns = PoolTurns(1, timeout_seconds=0.05)
    await turns.take()
    with pytest.raises(TimeoutError):
        await turns.take()
    turns.give_back()
    await turns.take()  # the timed-out wait took nothing


async def test_units_of_work_hold_a_turn_until_they_end(database: Database):
    factory = SqlAlchemyUnitOfWorkFactory(database.write, turns=PoolTurns(1, timeout_seconds=0.2))
    first = await factory.begin()
    with pytest.raises(UnavailableError):
        await factory.begin()
    await first.commit()

    second = await factory.begin()
    await second.rollback()
    third = await factory.begin()  # the rollback gave the turn back too
    await third.rollback()
