from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from sqlalchemy import func, insert, select, text

from app.core.cqrs.errors import NoActiveUnitOfWorkError
from app.core.cqrs.events import DomainEvent
from app.infrastructure.db.active_unit_of_work import active_unit_of_work, current_session
from app.infrastructure.db.errors import ConflictError
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory, UnitOfWorkClosedError
from app.infrastructure.events.tables import event_log
from tests.infrastructure.accounts import (
    accounts,
    applications,
    create_account_tables,
    deposit,
    open_account,
)
from tests.support.database import Database


@dataclass(frozen=True, kw_only=True)
class NoteVersioned(DomainEvent):
    aggregate_version: int


@pytest.fixture
async def factory(database: Database) -> SqlAlchemyUnitOfWorkFactory:
    await create_account_tables(database.write)
    return SqlAlchemyUnitOfWorkFactory(database.write)


async def stored_state(database: Database) -> tuple[dict[str, int], list[str]]:
    async with database.read.connect() as connection:
        rows = await connection.execute(select(accounts.c.id, accounts.c.balance))
        state = {row.id: row.balance for row in rows}
        types = list(
            (
                await connection.execute(
                    select(event_log.c.event_type).order_by(event_log.c.position)
                )
            ).scalars()
        )
    return state, types


async def test_commit_writes_the_state_and_its_events_together(factory, database):
    unit_of_work = await factory.begin()
    await open_account(unit_of_work, "a1", "Ada")
    await deposit(unit_of_work, "a1", 30)
    await unit_of_work.commit()

    assert await stored_state(database) == ({"a1": 30}, ["AccountOpened", "FundsDeposited"])


async def test_commit_reports_the_position_of_its_last_event(factory, database):
    first = await factory.begin()
    await open_account(first, "a1", "Ada")
    await first.commit()
    second = await factory.begin()
    await deposit(second, "a1", 5)
    await deposit(second, "a1", 6)
    await second.commit()

    async with database.read.connect() as connection:
        head = (await connection.execute(select(func.max(event_log.c.position)))).scalar_one()
    assert first.last_event_position == 1
    assert second.last_event_position == head == 3


async def test_a_commit_without_events_has_no_event_position(factory):
    unit_of_work = await factory.begin()
    await unit_of_work.commit()
    assert unit_of_work.last_event_position is None


async def test_rollback_leaves_neither_state_nor_events(factory, database):
    unit_of_work = await factory.begin()
    await open_account(unit_of_work, "a1", "Ada")
    await unit_of_work.rollback()

    assert await stored_state(database) == ({}, [])


async def test_a_unit_of_work_that_fails_half_way_leaves_nothing_behind(factory, database):
    async def command_that_fails_half_way() -> None:
        async with await factory.begin() as unit_of_work:
            await open_account(unit_of_work, "a1", "Ada")
            await deposit(unit_of_work, "a1", 10)
            raise RuntimeError("failed half way")

    with pytest.raises(RuntimeError, match="half way"):
        await command_that_fails_half_way()

    assert await stored_state(database) == ({}, [])


async def test_a_commit_that_fails_writes_neither_state_nor_events(factory, database):
    setup = await factory.begin()
    setup.record(NoteVersioned(aggregate_id="n1", aggregate_version=1))
    await setup.commit()

    unit_of_work = await factory.begin()
    await open_account(unit_of_work, "a1", "Ada")
    # Version 1 of n1 exists: the append fails at commit, after the state change was made.
    unit_of_work.record(NoteVersioned(aggregate_id="n1", aggregate_version=1))
    with pytest.raises(ConflictError):
        await unit_of_work.commit()

    assert await stored_state(database) == ({}, ["NoteVersioned"])
    assert unit_of_work.last_event_position is None


async def logged_positions(database: Database) -> list[int]:
    async with database.read.connect() as connection:
        return list((await connection.execute(select(applications.c.position))).scalars())


@pytest.mark.parametrize("commit", [True, False], ids=["committed", "rolled back"])
async def test_the_session_and_the_connection_write_in_the_one_transaction(
    factory, database, commit
):
    unit_of_work = await factory.begin()
    await unit_of_work.session.execute(insert(applications).values(projection="p", position=7))
    await open_account(unit_of_work, "a1", "Ada")  # on the connection, with an event

    await (unit_of_work.commit() if commit else unit_of_work.rollback())

    assert await logged_positions(database) == ([7] if commit else [])
    assert await stored_state(database) == (({"a1": 0}, ["AccountOpened"]) if commit else ({}, []))


async def test_after_commit_hooks_get_the_events_once_they_are_visible(database):
    await create_account_tables(database.write)
    seen: list[tuple[list[str], dict[str, int]]] = []

    async def hook(events: Sequence[DomainEvent]) -> None:
        state, _ = await stored_state(database)
        seen.append(([event.event_type() for event in events], state))

    factory = SqlAlchemyUnitOfWorkFactory(database.write, after_commit=[hook])
    unit_of_work = await factory.begin()
    await open_account(unit_of_work, "a1", "Ada")
    await unit_of_work.commit()
    rolled_back = await factory.begin()
    await open_account(rolled_back, "a2", "Bob")
    await rolled_back.rollback()

    assert seen == [(["AccountOpened"], {"a1": 0})]


async def test_a_failing_after_commit_hook_does_not_undo_the_commit(database, caplog):
    await create_account_tables(database.write)

    async def broken(events: Sequence[DomainEvent]) -> None:
        raise RuntimeError("cache is down")

    factory = SqlAlchemyUnitOfWorkFactory(database.write, after_commit=[broken])
    unit_of_work = await factory.begin()
    await open_account(unit_of_work, "a1", "Ada")
    await unit_of_work.commit()

    assert await stored_state(database) == ({"a1": 0}, ["AccountOpened"])
    assert "after-commit hook" in caplog.text


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (None, "read committed"),
        ("READ_COMMITTED", "read committed"),
        ("REPEATABLE_READ", "repeatable read"),
        ("SERIALIZABLE", "serializable"),
    ],
)
async def test_isolation_levels_are_honoured_on_postgresql(factory, database, level, expected):
    if database.backend != "postgresql":
        pytest.skip("SQLite transactions are always serializable")
    unit_of_work = await factory.begin(isolation_level=level)
    connection = await unit_of_work.connection()
    shown = (await connection.execute(text("SHOW transaction_isolation"))).scalar_one()
    await unit_of_work.rollback()
    assert shown == expected


async def test_sqlite_accepts_any_isolation_level_since_it_is_always_serializable(
    factory, database
):
    if database.backend != "sqlite":
        pytest.skip("about SQLite")
    unit_of_work = await factory.begin(isolation_level="REPEATABLE_READ")
    await unit_of_work.rollback()
    with pytest.raises(UnitOfWorkClosedError):
        await unit_of_work.commit()


async def test_the_open_unit_of_work_is_found_through_the_current_task(factory):
    unit_of_work = await factory.begin()
    assert active_unit_of_work() is unit_of_work
    assert current_session() is unit_of_work.session
    await unit_of_work.commit()
    with pytest.raises(NoActiveUnitOfWorkError):
        current_session()


async def test_a_nested_unit_of_work_hands_back_to_the_outer_one(factory, database):
    if database.backend != "postgresql":
        pytest.skip("SQLite lets one write transaction in at a time")
    outer = await factory.begin()
    inner = await factory.begin()
    assert active_unit_of_work() is inner
    await inner.rollback()
    assert active_unit_of_work() is outer
    await outer.rollback()


async def test_a_finished_unit_of_work_refuses_more_work_and_ignores_rollback(factory):
    unit_of_work = await factory.begin()
    await unit_of_work.commit()
    await unit_of_work.rollback()
    with pytest.raises(UnitOfWorkClosedError):
        unit_of_work.record(NoteVersioned(aggregate_id="n1", aggregate_version=1))
    with pytest.raises(UnitOfWorkClosedError):
        await unit_of_work.commit()
