"""How SQLite connections are set up, so SQLite is a real backend and not a toy.

- WAL lets readers work while one writer commits; `synchronous=NORMAL` is durable under WAL.
- Foreign keys are off in SQLite unless asked for.
- `busy_timeout` makes a connection wait for a lock instead of failing at once.
- The driver's own transaction handling is switched off and SQLAlchemy's `begin` emits the
  BEGIN: `BEGIN IMMEDIATE` on the write engine takes the write lock up front, so two writers
  queue instead of deadlocking on a read-to-write upgrade, and write transactions (event appends
  included) commit one at a time in the order they began writing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncEngine


def configure_sqlite_engine(
    engine: AsyncEngine, *, busy_timeout_seconds: float, write_engine: bool
) -> None:
    busy_timeout_ms = int(busy_timeout_seconds * 1000)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    if write_engine:

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
