from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select
from sqlalchemy.exc import StatementError

from app.infrastructure.db.types import UTCDateTime
from tests.support.database import Database

stamps = Table(
    "test_stamps",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime()),
)


@pytest.fixture
async def stamp_table(database: Database):
    async with database.write.begin() as connection:
        await connection.run_sync(stamps.metadata.create_all)
    return database


async def test_timestamps_come_back_aware_and_equal_to_what_was_stored(stamp_table: Database):
    written = datetime(2030, 5, 17, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    async with stamp_table.write.begin() as connection:
        await connection.execute(insert(stamps).values(id=1, at=written))
        read = (await connection.execute(select(stamps.c.at))).scalar_one()
    assert read == written
    assert read.utcoffset() == timedelta(0)
    assert read.tzinfo is not None


async def test_naive_timestamps_are_refused(stamp_table: Database):
    async with stamp_table.write.begin() as connection:
        with pytest.raises(StatementError, match="naive datetime"):
            await connection.execute(insert(stamps).values(id=2, at=datetime(2030, 1, 1)))


async def test_missing_timestamps_stay_missing(stamp_table: Database):
    async with stamp_table.write.begin() as connection:
        await connection.execute(insert(stamps).values(id=3, at=None))
        assert (await connection.execute(select(stamps.c.at))).scalar_one() is None
