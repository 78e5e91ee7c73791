"""The unit of work as the core's `@transactional` and `@retry_on_failure` drive it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.core.cqrs import (
    BaseCommandHandler,
    CQRSBus,
    EventPublisher,
    HandlerRegistry,
    ICommand,
    OperationStatus,
    UnitOfWorkFactory,
    retry_on_failure,
    transactional,
)
from app.core.cqrs.ports import AfterCommitHook
from app.infrastructure.db.active_unit_of_work import active_unit_of_work
from app.infrastructure.db.engines import create_write_engine
from app.infrastructure.db.errors import StaleVersionError
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.events.publisher import UnitOfWorkEventPublisher
from app.infrastructure.events.tables import event_log
from app.infrastructure.projections.catch_up import ProjectionCatchUp
from app.infrastructure.projections.in_process import InProcessProjectionRunner
from tests.infrastructure.accounts import AccountOpened, accounts, create_account_tables
from tests.support.database import Database, settings_for

publisher: EventPublisher = UnitOfWorkEventPublisher()


@dataclass(frozen=True)
class OpenAccount(ICommand[str]):
    account_id: str
    fail_half_way: bool = False
    stale_attempts: int = 0


attempts: dict[str, int] = {}


@retry_on_failure(max_attempts=3, delay_seconds=0)
@transactional(isolation_level="REPEATABLE_READ")
class OpenAccountHandler(BaseCommandHandler[OpenAccount, str]):
    async def _handle(self, command: OpenAccount) -> str:
        attempts[command.account_id] = attempts.get(command.account_id, 0) + 1
        connection = await active_unit_of_work().connection()
        await connection.execute(
            accounts.insert().values(id=command.account_id, owner="x", balance=0)
        )
        await publisher.publish(AccountOpened(aggregate_id=command.account_id, owner="x"))
        if command.fail_half_way:
            raise RuntimeError("failed after writing")
        if attempts[command.account_id] <= command.stale_attempts:
            raise StaleVersionError(detail="lost a race")
        return command.account_id


def bus_on(factory: UnitOfWorkFactory) -> CQRSBus:
    registry = HandlerRegistry()
    registry.register_command_handler(OpenAccount, OpenAccountHandler)
    return CQRSBus(registry=registry, unit_of_work_factory=factory)


@pytest.fixture
async def bus(database: Database) -> CQRSBus:
    await create_account_tables(database.write)
    attempts.clear()
    return bus_on(SqlAlchemyUnitOfWorkFactory(database.write))


async def stored(database: Database) -> tuple[list[str], int]:
    async with database.read.connect() as connection:
        ids = list((await connection.execute(select(accounts.c.id))).scalars())
        events = (await connection.execute(select(func.count()).select_from(event_log))).scalar()
    return ids, events or 0


async def test_a_successful_command_commits_state_and_event_and_reports_the_position(bus, database):
    result = await bus.execute_command(OpenAccount("a1"))

    assert result.status is OperationStatus.SUCCESS
    assert result.event_position == 1
    assert await stored(database) == (["a1"], 1)


async def test_a_command_failing_half_way_leaves_nothing(bus, database):
    result = await bus.execute_command(OpenAccount("a1", fail_half_way=True))

    assert result.status is OperationStatus.FAILED
    assert await stored(database) == ([], 0)


async def test_a_lost_race_is_retried_in_a_fresh_transaction(bus, database):
    result = await bus.execute_command(OpenAccount("a1", stale_attempts=2))

    assert result.status is OperationStatus.SUCCESS
    assert attempts["a1"] == 3
    assert await stored(database) == (["a1"], 1)


async def test_a_race_lost_every_time_is_a_conflict(bus, database):
    result = await bus.execute_command(OpenAccount("a1", stale_attempts=3))

    assert result.status is OperationStatus.CONFLICT
    assert await stored(database) == ([], 0)


async def test_a_taken_key_is_a_conflict_and_not_retried(bus, database):
    await bus.execute_command(OpenAccount("a1"))
    result = await bus.execute_command(OpenAccount("a1"))

    assert result.status is OperationStatus.CONFLICT
    assert attempts["a1"] == 2
    assert await stored(database) == (["a1"], 1)


async def test_an_unreachable_database_makes_the_command_unavailable():
    engine = create_write_engine(settings_for("postgresql+asyncpg://postgres@127.0.0.1:1/none"))
    try:
        result = await bus_on(SqlAlchemyUnitOfWorkFactory(engine)).execute_command(
            OpenAccount("a1")
        )
    finally:
        await engine.dispose()
    assert result.status is OperationStatus.UNAVAILABLE


async def test_the_projection_runner_is_an_after_commit_hook(database: Database):
    runner = InProcessProjectionRunner(ProjectionCatchUp(database.write, []))
    hook: AfterCommitHook = runner  # checked by mypy against the core's port
    await hook([AccountOpened(aggregate_id="a1", owner="x")])
    assert not runner.running
