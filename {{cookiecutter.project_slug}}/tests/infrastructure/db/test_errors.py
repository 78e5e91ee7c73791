from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.cqrs import errors as core
from app.infrastructure.db.engines import create_write_engine
from app.infrastructure.db.errors import (
    ConflictError,
    RetryableError,
    StaleVersionError,
    UnavailableError,
    database_errors_translated,
    translate_error,
)
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.infrastructure.accounts import accounts, create_account_tables, open_account
from tests.support.database import Database, settings_for


@pytest.fixture
async def factory(database: Database) -> SqlAlchemyUnitOfWorkFactory:
    await create_account_tables(database.write)
    return SqlAlchemyUnitOfWorkFactory(database.write)


async def test_a_unique_violation_is_a_conflict_whose_message_is_safe_to_show(factory):
    first = await factory.begin()
    await open_account(first, "a1", "Ada")
    await first.commit()

    second = await factory.begin()
    connection = await second.connection()
    # Any statement on the app's engines, not only repositories', raises the translated error.
    with pytest.raises(ConflictError) as raised:
        await connection.execute(insert(accounts).values(id="a1", owner="Eve", balance=0))
    await second.rollback()

    assert isinstance(raised.value, core.ConflictError)
    assert not isinstance(raised.value, core.TransientError)
    assert "test_accounts" not in raised.value.message
    assert "test_accounts" in raised.value.detail


def test_each_kind_of_failure_is_the_matching_core_operation_error():
    assert isinstance(RetryableError(), core.ConcurrencyConflictError)
    assert isinstance(StaleVersionError(), core.ConcurrencyConflictError)
    assert isinstance(UnavailableError(), core.ServiceUnavailableError)


async def test_a_serialization_failure_is_retryable(factory, database):
    if database.backend != "postgresql":
        pytest.skip("SQLite serializes writers instead of failing them")
    setup = await factory.begin()
    await open_account(setup, "a1", "Ada")
    await open_account(setup, "a2", "Bob")
    await setup.commit()

    # Each transaction reads what the other writes: SERIALIZABLE lets only one of them commit.
    one = await factory.begin(isolation_level="SERIALIZABLE")
    two = await factory.begin(isolation_level="SERIALIZABLE")
    one_connection, two_connection = await one.connection(), await two.connection()
    await one_connection.execute(select(accounts.c.balance).where(accounts.c.id == "a2"))
    await two_connection.execute(select(accounts.c.balance).where(accounts.c.id == "a1"))
    await one_connection.execute(update(accounts).where(accounts.c.id == "a1").values(balance=1))
    await two_connection.execute(update(accounts).where(accounts.c.id == "a2").values(balance=2))
    await one.commit()
    with pytest.raises(RetryableError):
        await two.commit()


async def test_a_deadlock_is_retryable(factory, database):
    if database.backend != "postgresql":
        pytest.skip("SQLite serializes writers instead of deadlocking them")
    setup = await factory.begin()
    await open_account(setup, "a1", "Ada")
    await open_account(setup, "a2", "Bob")
    await setup.commit()

    one, two = await factory.begin(), await factory.begin()
    one_connection, two_connection = await one.connection(), await two.connection()
    for connection in (one_connection, two_connection):
        await connection.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
    await one_connection.execute(update(accounts).where(accounts.c.id == "a1").values(balance=1))
    await two_connection.execute(update(accounts).where(accounts.c.id == "a2").values(balance=2))

    async def cross(connection: AsyncConnection, account_id: str) -> None:
        await connection.execute(
            update(accounts).where(accounts.c.id == account_id).values(balance=3)
        )

    outcomes = await asyncio.gather(
        cross(one_connection, "a2"), cross(two_connection, "a1"), return_exceptions=True
    )
    await one.rollback()
    await two.rollback()
    assert sum(isinstance(outcome, RetryableError) for outcome in outcomes) == 1


async def test_a_busy_sqlite_database_is_retryable(tmp_path: Path):
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path}/a.db").model_copy(
        update={"database_pool_timeout_seconds": 0.05}
    )
    holder_engine, waiter_engine = create_write_engine(settings), create_write_engine(settings)
    try:
        holder = await SqlAlchemyUnitOfWorkFactory(holder_engine).begin()
        with pytest.raises(RetryableError):
            await SqlAlchemyUnitOfWorkFactory(waiter_engine).begin()
        await holder.rollback()
    finally:
        await holder_engine.dispose()
        await waiter_engine.dispose()


async def test_an_unreachable_server_is_unavailable():
    # Nothing listens on port 1; the connection is refused at once.
    settings = settings_for("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    engine = create_write_engine(settings)
    try:
        with pytest.raises(UnavailableError):
            await SqlAlchemyUnitOfWorkFactory(engine).begin()
    finally:
        await engine.dispose()


async def test_an_exhausted_pool_is_unavailable_after_the_pool_timeout(database: Database):
    settings = database.settings.model_copy(
        update={
            "database_pool_size": 1,
            "database_max_overflow": 0,
            "database_pool_timeout_seconds": 0.05,
        }
    )
    engine = create_write_engine(settings)
    try:
        async with engine.connect():
            factory = SqlAlchemyUnitOfWorkFactory(engine)
            with pytest.raises(UnavailableError) as raised:
                await factory.begin()
            assert "pool timeout" in raised.value.detail
    finally:
        await engine.dispose()


def test_errors_that_are_not_database_failures_pass_through_untouched():
    assert translate_error(ValueError("bad input")) is None
    with pytest.raises(KeyError), database_errors_translated():
        raise KeyError("missing")


@pytest.mark.parametrize(
    "error",
    [ConnectionRefusedError(111, "Connection refused"), TimeoutError()],
    ids=lambda value: type(value).__name__,
)
def test_failing_to_connect_is_unavailable(error):
    with pytest.raises(UnavailableError) as raised, database_errors_translated():
        raise error

    assert raised.value.__cause__ is error
