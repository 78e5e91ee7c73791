"""Writes settle once projected: their cache tags are dropped then, and waiters released."""

from __future__ import annotations

import pytest

from app.core.cqrs.events import DomainEvent
from app.core.cqrs.memory_cache import MemoryQueryCache
from app.infrastructure.cache.invalidation import TagRules
from app.infrastructure.consistency.settlement import SettlingCatchUp, WriteSettlement
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.events.stored import RecordedEvent
from app.infrastructure.projections.in_process import InProcessProjectionRunner
from tests.infrastructure.accounts import (
    AccountBalances,
    AccountOpened,
    balances,
    create_account_tables,
    open_account,
)
from tests.support.database import Database


class Gate:
    """Makes the projection fail while closed."""

    def __init__(self) -> None:
        self.open = True

    async def __call__(self, recorded: RecordedEvent) -> None:
        if not self.open:
            raise RuntimeError("projection is down")


def account_tags(event: DomainEvent) -> list[str]:
    return [f"account:{event.aggregate_id}"]


class Setup:
    def __init__(self, database: Database) -> None:
        self.cache = MemoryQueryCache(max_entries=100)
        rules = TagRules()
        rules.register(AccountOpened, account_tags)
        self.settlement = WriteSettlement(self.cache, rules)
        self.gate = Gate()
        self.catch_up = SettlingCatchUp(
            database.write, [AccountBalances(self.gate)], settlement=self.settlement
        )
        self.runner = InProcessProjectionRunner(self.catch_up, retry_delay_seconds=0.01)
        self.factory = SqlAlchemyUnitOfWorkFactory(
            database.write, after_commit=[self.settlement, self.runner]
        )

    async def open_account(self, account_id: str) -> None:
        unit_of_work = await self.factory.begin()
        await open_account(unit_of_work, account_id, "Ada")
        await unit_of_work.commit()

    async def cached(self, key: str) -> object:
        hit = await self.cache.get(key)
        return None if hit is None else hit.value


@pytest.fixture
async def setup(database: Database) -> Setup:
    await create_account_tables(database.write)
    return Setup(database)


async def test_tags_are_dropped_once_the_commit_is_projected_not_at_commit(
    setup: Setup, database: Database
) -> None:
    await setup.cache.set("a1-view", "before", ttl_seconds=60, tags=["account:a1"])

    await setup.open_account("a1")

    assert await setup.cached("a1-view") == "before"
    outcome = await setup.catch_up.run_pass()
    assert outcome.complete
    assert await balances(database.read) == {"a1": (0, 0)}
    assert await setup.cached("a1-view") is None


async def test_a_tracked_commit_is_waited_for_until_projected(
    setup: Setup, database: Database
) -> None:
    await setup.runner.start()
    try:
        with setup.settlement.tracking() as ticket:
            await setup.open_account("a1")

        assert await ticket.wait(5.0) is True
        assert await balances(database.read) == {"a1": (0, 0)}
    finally:
        await setup.runner.stop()


async def test_a_ticket_without_commits_is_settled_at_once(setup: Setup) -> None:
    with setup.settlement.tracking() as ticket:
        pass

    assert ticket.settled
    assert await ticket.wait(0) is True


async def test_waiting_gives_up_after_the_timeout_when_nothing_projects(setup: Setup) -> None:
    with setup.settlement.tracking() as ticket:
        await setup.open_account("a1")

    assert await ticket.wait(0.05) is False
    assert not ticket.settled


async def test_a_failed_pass_keeps_the_commits_for_the_next_one(
    setup: Setup, database: Database
) -> None:
    await setup.cache.set("a1-view", "before", ttl_seconds=60, tags=["account:a1"])
    setup.gate.open = False
    with setup.settlement.tracking() as ticket:
        await setup.open_account("a1")

    failed = await setup.catch_up.run_pass()
    assert not failed.complete
    assert not ticket.settled
    assert await setup.cached("a1-view") == "before"

    setup.gate.open = True
    assert (await setup.catch_up.run_pass()).complete
    assert ticket.settled
    assert await setup.cached("a1-view") is None


async def test_untracked_commits_are_settled_too(setup: Setup) -> None:
    await setup.cache.set("a1-view", "before", ttl_seconds=60, tags=["account:a1"])
    await setup.open_account("a1")

    await setup.catch_up.run_pass()

    assert await setup.cached("a1-view") is None
    assert not setup.settlement.has_pending


async def test_quiescing_waits_for_queued_commits_to_settle(setup: Setup) -> None:
    await setup.runner.start()
    try:
        await setup.open_account("a1")

        assert await setup.catch_up.quiesce(5.0) is True
        assert not setup.settlement.has_pending
    finally:
        await setup.runner.stop()


async def test_quiescing_gives_up_when_nothing_settles_the_queue(setup: Setup) -> None:
    await setup.open_account("a1")

    assert await setup.catch_up.quiesce(0.05) is False
