from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.infrastructure.db.engines import create_write_engine
from app.infrastructure.db.errors import RetryableError
from tests.support.database import Database, settings_for


async def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path):
    engine = create_write_engine(settings_for(f"sqlite+aiosqlite:///{tmp_path}/a.db"))
    try:
        async with engine.connect() as connection:
            journal = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
            foreign_keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
            busy = (await connection.execute(text("PRAGMA busy_timeout"))).scalar_one()
    finally:
        await engine.dispose()
    assert journal == "wal"
    assert foreign_keys == 1
    assert busy == 10_000


async def test_the_directory_of_a_sqlite_file_is_created(tmp_path: Path):
    target = tmp_path / "not" / "there"
    engine = create_write_engine(settings_for(f"sqlite+aiosqlite:///{target}/a.db"))
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    assert (target / "a.db").exists()


async def test_a_sqlite_write_transaction_takes_the_write_lock_when_it_begins(tmp_path: Path):
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path}/a.db").model_copy(
        update={"database_pool_timeout_seconds": 0.05}
    )
    engine = create_write_engine(settings)
    try:
        async with engine.begin():
            # Nothing written yet, yet a second writer cannot even begin.
            with pytest.raises(RetryableError):
                async with engine.begin():
                    pass
    finally:
        await engine.dispose()


async def test_reads_send_no_begin_and_leave_no_transaction_open(database: Database):
    async with database.read.connect() as connection:
        await connection.execute(text("SELECT count(*) FROM event_log"))
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        if database.backend == "postgresql":
            assert driver is not None
            assert driver.is_in_transaction() is False
        else:
            assert driver is not None
            assert driver.in_transaction is False
