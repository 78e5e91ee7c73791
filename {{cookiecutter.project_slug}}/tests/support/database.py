"""Databases for tests: SQLite always, PostgreSQL too when TEST_DATABASE_URL names a server.

Every backend's database is fresh (a new SQLite file, a new PostgreSQL database dropped at the
end) and built by the real migrations, never by `create_all`. `database` hands each test both
engines on a migrated schema with every table emptied first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, delete, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.infrastructure.db.engines import create_read_engine, create_write_engine
from app.settings import Settings
from tests.support.services import postgres_server_url, unique_name

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))


@dataclass(frozen=True)
class Database:
    backend: str
    url: str
    settings: Settings
    write: AsyncEngine
    read: AsyncEngine


def settings_for(url: str) -> Settings:
    return Settings(
        environment="test",
        database_url=url,
        database_pool_size=5,
        database_max_overflow=5,
        database_pool_timeout_seconds=10.0,
        secret_key="test-secret-key-that-is-long-enough-for-hs256",
    )


@contextmanager
def fresh_database(backend: str, directory: Path) -> Iterator[str]:
    """The URL of a new, empty database on `backend`; a PostgreSQL one is dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{directory / unique_name('test')}.db"
        return
    server = make_url(postgres_server_url())
    name = unique_name("test")
    asyncio.run(
        _postgres_admin(server.render_as_string(hide_password=False), f'CREATE DATABASE "{name}"')
    )
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(
            _postgres_admin(
                server.render_as_string(hide_password=False),
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            )
        )


async def _postgres_admin(server_url: str, statement: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Run the migrations up to `revision`. Blocking: call it from a thread inside async code."""
    command.upgrade(alembic_config(url), revision)


async def empty_all_tables(engine: AsyncEngine) -> None:
    """Delete every row of every table except Alembic's bookkeeping; restart sequences."""
    existing = MetaData()
    async with engine.begin() as connection:
        await connection.run_sync(existing.reflect)
        tables = [table for table in existing.sorted_tables if table.name != "alembic_version"]
        if not tables:
            return
        if connection.dialect.name == "postgresql":
            quote = connection.dialect.identifier_preparer.quote
            names = ", ".join(quote(table.name) for table in tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                await connection.execute(delete(table))


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One migrated database per backend for the whole session."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        migrate(url)
        yield url


@pytest.fixture
async def database(migrated_database_url: str) -> AsyncIterator[Database]:
    """Both engines on the migrated schema, every table empty."""
    settings = settings_for(migrated_database_url)
    write, read = create_write_engine(settings), create_read_engine(settings)
    try:
        await empty_all_tables(write)
        yield Database(write.dialect.name, migrated_database_url, settings, write, read)
    finally:
        await read.dispose()
        await write.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A brand-new database with no tables, for migration tests."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url
