"""Projection fixtures: the test-only accounts aggregate and a way to write its events."""

from __future__ import annotations

import pytest

from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.infrastructure.accounts import create_account_tables
from tests.support.database import Database


@pytest.fixture
async def factory(database: Database) -> SqlAlchemyUnitOfWorkFactory:
    await create_account_tables(database.write)
    return SqlAlchemyUnitOfWorkFactory(database.write)
