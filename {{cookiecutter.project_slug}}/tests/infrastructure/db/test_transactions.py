"""A unit of work's transaction: statements, session and connection write in it together.

On PostgreSQL the transaction runs on the asyncpg connection under the engine's pooled one; the
same behaviour is asked of both backends, and of PostgreSQL without the driver path (tracing).
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import bindparam, insert, select, text

from app.infrastructure.db.asyncpg_transaction_statements import rows_affected
from app.infrastructure.db.errors import ConflictError
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWork, SqlAlchemyUnitOfWorkFactory
from tests.infrastructure.accounts import accounts, create_account_tables
from tests.support.database import Database

_open = insert(accounts).values(
    id=bindparam("id"), owner=bindparam("owner"), balance=bindparam("balance")
)
_owner = select(accounts.c.owner).where(accounts.c.id == bindparam("id"))


@pytest.fixture(params=[True, False], ids=["as configured", "engine path forced"])
async def factory(request, database: Database) -> SqlAlchemyUnitOfWorkFactory:
    if not request.param and database.backend != "postgresql":
        pytest.skip("only PostgreSQL has a driver path to turn off")
    await create_account_tables(database.write)
    return SqlAlchemyUnitOfWorkFactory(database.write, through_driver=request.param)


async def write_three_ways(unit_of_work: SqlAlchemyUnitOfWork) -> None:
    await unit_of_work.statements.execute(_open, {"id": "s", "owner": "Stan", "balance": 1})
    await unit_of_work.session.execute(insert(accounts).values(id="o", owner="Orm", balance=2))
    connection = await unit_of_work.connection()
    await connection.execute(insert(accounts).values(id="c", owner="Core", balance=3))


async def stored_ids(database: Database) -> set[str]:
    async with database.read.connect() as connection:
        return set((await connection.execute(select(accounts.c.id))).scalars())


async def test_statements_session_and_connection_commit_together(factory, database):
    unit_of_work = await factory.begin()
    await write_three_ways(unit_of_work)
    # Each sees what the others wrote: one transaction, not three.
    assert (await unit_of_work.statements.fetch_one(_owner, {"id": "o"})) == ("Orm",)
    await unit_of_work.commit()

    assert await stored_ids(database) == {"s", "o", "c"}


async def test_a_rollback_undoes_what_each_of_them_wrote(factory, database):
    unit_of_work = await factory.begin()
    await write_three_ways(unit_of_work)
    await unit_of_work.rollback()

    assert await stored_ids(database) == set()


async def test_a_failed_statement_leaves_nothing_and_the_next_unit_of_work_works(factory, database):
    first = await factory.begin()
    await first.statements.execute(_open, {"id": "a", "owner": "Ada", "balance": 0})
    await first.commit()

    failing = await factory.begin()
    await failing.session.execute(insert(accounts).values(id="b", owner="Bob", balance=0))
    with pytest.raises(ConflictError):
        await failing.statements.execute(_open, {"id": "a", "owner": "Eve", "balance": 0})
    await failing.rollback()

    after = await factory.begin()
    await after.statements.execute(_open, {"id": "c", "owner": "Cy", "balance": 0})
    await after.commit()
    assert await stored_ids(database) == {"a", "c"}


async def test_rows_affected_are_counted(factory):
    unit_of_work = await factory.begin()
    await unit_of_work.statements.execute(_open, {"id": "a", "owner": "Ada", "balance": 0})
    await unit_of_work.statements.execute(_open, {"id": "b", "owner": "Bob", "balance": 0})
    rename = accounts.update().values(owner=bindparam("new_owner"))
    assert await unit_of_work.statements.execute(rename, {"new_owner": "Zed"}) == 2
    await unit_of_work.rollback()


@pytest.mark.parametrize(
    ("tag", "count"), [("UPDATE 3", 3), ("INSERT 0 1", 1), ("DELETE 0", 0), ("BEGIN", 0)]
)
def test_the_row_count_is_read_from_the_command_tag(tag, count):
    assert rows_affected(tag) == count


async def test_pooled_connections_the_server_closed_are_replaced_without_failing(database):
    if database.backend != "postgresql":
        pytest.skip("a PostgreSQL restart")
    # The driver path's own recovery; the engine's (tracing on) fails one statement per
    # connection, 503, before its pool notices.
    await create_account_tables(database.write)
    factory = SqlAlchemyUnitOfWorkFactory(database.write)
    # Fill the pool with idle connections, then have the server close every one of them.
    held = [await factory.begin() for _ in range(3)]
    for unit_of_work in held:
        await unit_of_work.rollback()
    async with database.read.connect() as admin:
        await admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await asyncio.sleep(0.2)  # for the client side to see the connections close

    unit_of_work = await factory.begin()
    await unit_of_work.statements.execute(_open, {"id": "a", "owner": "Ada", "balance": 0})
    await unit_of_work.commit()
    assert await stored_ids(database) == {"a"}
