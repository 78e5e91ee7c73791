"""Fixtures for every test that needs the real application.

`settings` points at a migrated database, SQLite always and PostgreSQL too when
TEST_DATABASE_URL names a server (one fresh database per backend and session); `container` is
the real container, whose providers a test may override before `app` starts it; `app` empties
every table, then runs the application through its own lifespan; `client` talks to it.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.container import Container, build_container
from app.main import create_app
from app.settings import Settings
from tests.support.database import empty_all_tables, migrated_database_url

__all__ = ["migrated_database_url"]

TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-for-hs256"
FAST_PASSWORDS_MODULE = "tests.support.passwords"


@pytest.fixture
def settings(migrated_database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        environment="test",
        database_url=migrated_database_url,
        database_pool_size=5,
        database_max_overflow=5,
        redis_url=None,
        secret_key=TEST_SECRET_KEY,
    )


@pytest.fixture
def container(settings: Settings) -> Container:
    """The application's container, not started: override providers here."""
    container = build_container(settings)
    if "password_hasher" in container.providers:
        # Argon2 at production strength costs ~50 ms per hash; tests need correctness only.
        importlib.import_module(FAST_PASSWORDS_MODULE).use_fast_password_hashing(container)
    return container


@pytest.fixture
async def app(settings: Settings, container: Container) -> AsyncIterator[FastAPI]:
    """The real application on an empty database, started through its own lifespan."""
    await empty_all_tables(container.write_engine())
    application = create_app(settings, container=container)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
