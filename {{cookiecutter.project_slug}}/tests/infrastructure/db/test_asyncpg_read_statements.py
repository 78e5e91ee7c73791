"""asyncpg's read statements: a pool that opens lazily, recovers, and fails like the engines.

These run on the real PostgreSQL server; the pool's connections are told apart from every other
by an application name of their own, as `pg_stat_activity` shows them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import bindparam, literal, select, text

from app.infrastructure.db.asyncpg_read_statements import (
    AsyncpgReadStatements,
    asyncpg_connect_options,
)
from app.infrastructure.db.errors import UnavailableError
from tests.infrastructure.db.readings import FIRST, create_readings, readings
from tests.support.database import Database, settings_for
from tests.support.services import unique_name

# A bound on waiting for the server to show a change, never a latency assertion.
SERVER_DEADLINE_SECONDS = 10.0

_one = select(literal(1))
_label_for_update = (
    select(readings.c.label).where(readings.c.id == bindparam("id")).with_for_update()
)


@pytest.fixture
def postgres(database: Database) -> Database:
    if database.backend != "postgresql":
        pytest.skip("asyncpg reads PostgreSQL only")
    return database


@pytest.fixture
def application_name() -> str:
    return unique_name("reads")


@pytest.fixture
async def statements(postgres: Database, application_name: str) -> AsyncIterator[Any]:
    """Factory: read statements on the test database, under `application_name`."""
    made: list[AsyncpgReadStatements] = []

    def make(**settings: object) -> AsyncpgReadStatements:
        changed = postgres.settings.model_copy(update={"app_name": application_name, **settings})
        made.append(AsyncpgReadStatements.from_settings(changed))
        return made[-1]

    yield make
    for each in made:
        await each.aclose()


async def backends(database: Database, application_name: str, *, waiting: bool = False) -> int:
    condition = "AND wait_event_type = 'Lock'" if waiting else ""
    async with database.write.connect() as connection:
        count = await connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "  # noqa: S608 (a constant condition)
                f"WHERE application_name = :name {condition}"
            ),
            {"name": application_name},
        )
    return int(count or 0)


async def until_backends(
    database: Database, application_name: str, expected: int, *, waiting: bool = False
) -> None:
    async with asyncio.timeout(SERVER_DEADLINE_SECONDS):
        # Polled: only the server knows, through pg_stat_activity.
        while await backends(database, application_name, waiting=waiting) != expected:  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_a_server_that_is_down_fails_queries_as_unavailable_but_not_the_start():
    # Nothing listens on port 1; nothing connects until a query asks.
    settings = settings_for("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    statements = AsyncpgReadStatements.from_settings(settings)
    try:
        with pytest.raises(UnavailableError):
            await statements.fetch_value(_one)
        with pytest.raises(UnavailableError):
            await statements.fetch_value(_one)
    finally:
        await statements.aclose()


async def test_the_pool_connects_on_first_use_under_the_application_name(
    statements, postgres, application_name
):
    reads = statements()
    assert await backends(postgres, application_name) == 0

    assert await reads.fetch_value(_one) == 1

    assert await backends(postgres, application_name) == 1


async def test_no_connection_free_within_the_pool_timeout_is_unavailable(
    statements, postgres, application_name
):
    await create_readings(postgres.write)
    reads = statements(
        database_pool_size=1, database_max_overflow=0, database_pool_timeout_seconds=0.2
    )
    # Connected beforehand: the timeout bounds connecting too, which a loaded machine can take
    # longer than 0.2 s to do, and the waiting read below must reach the server.
    assert await reads.fetch_value(_one) == 1
    async with postgres.write.begin() as holder:
        await holder.execute(
            select(readings.c.id).where(readings.c.id == FIRST["id"]).with_for_update()
        )
        # The pool's only connection waits for the row lock held above.
        waiting = asyncio.create_task(reads.fetch_value(_label_for_update, {"id": FIRST["id"]}))
        await until_backends(postgres, application_name, 1, waiting=True)

        with pytest.raises(UnavailableError) as raised:
            await reads.fetch_value(_one)
        assert "timed out" in raised.value.detail

    assert await waiting == FIRST["label"]
    assert await reads.fetch_value(_one) == 1


async def test_reads_recover_by_themselves_when_the_server_drops_the_connections(
    statements, postgres, application_name
):
    reads = statements()
    assert await reads.fetch_value(_one) == 1

    async with postgres.write.connect() as connection:
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": application_name},
        )
    await until_backends(postgres, application_name, 0)

    try:
        first: object = await reads.fetch_value(_one)
    except UnavailableError:
        first = "unavailable"  # the connection was found dead by using it
    assert first in (1, "unavailable")
    assert await reads.fetch_value(_one) == 1


async def test_closing_lets_go_of_the_connections_and_a_later_query_opens_anew(
    statements, postgres, application_name
):
    reads = statements()
    assert await reads.fetch_value(_one) == 1

    await reads.aclose()
    await until_backends(postgres, application_name, 0)

    assert await reads.fetch_value(_one) == 1


def test_the_pool_connects_as_the_engine_would_for_the_same_url():
    url = (
        "postgresql+asyncpg://app:p%40ss@db.internal:5433/service"
        "?ssl=require&prepared_statement_cache_size=0"
    )

    assert asyncpg_connect_options(url) == {
        "host": "db.internal",
        "port": 5433,
        "user": "app",
        "password": "p@ss",
        "database": "service",
        "ssl": "require",
        "statement_cache_size": 0,
    }
