"""Engines for the write side (commands, projectors) and the read side (queries).

The read engine runs in autocommit: a query is one statement that needs no transaction, so
BEGIN and ROLLBACK are not sent for it. Point `READ_DATABASE_URL` at a replica and queries leave
the primary alone. Pool settings apply to both engines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.infrastructure.db.errors import translate_engine_errors
from app.infrastructure.db.sqlite_connections import configure_sqlite_engine
from app.settings import Settings


def create_write_engine(settings: Settings, url: str | None = None) -> AsyncEngine:
    return _create_engine(url or settings.database_url, settings, write_engine=True)


def create_read_engine(settings: Settings, url: str | None = None) -> AsyncEngine:
    return _create_engine(url or settings.effective_read_database_url, settings, write_engine=False)


def _create_engine(raw_url: str, settings: Settings, *, write_engine: bool) -> AsyncEngine:
    url = make_url(raw_url)
    options: dict[str, Any] = {
        "echo": settings.database_echo,
        "pool_size": settings.database_pool_size,
        "max_overflow": settings.database_max_overflow,
        "pool_timeout": settings.database_pool_timeout_seconds,
    }
    if not write_engine:
        options["isolation_level"] = "AUTOCOMMIT"
        # Nothing to roll back in autocommit: skip the call on every connection release.
        options["skip_autocommit_rollback"] = True
    if url.get_backend_name() == "postgresql":
        # Fail within the pool timeout when the server is unreachable, rather than hang.
        options["connect_args"] = {
            "timeout": settings.database_pool_timeout_seconds,
            "server_settings": {"application_name": settings.app_name},
        }
    if url.get_backend_name() == "sqlite":
        _ensure_sqlite_directory(url)
    engine = create_async_engine(url, **options)
    if url.get_backend_name() == "sqlite":
        configure_sqlite_engine(
            engine,
            busy_timeout_seconds=settings.database_pool_timeout_seconds,
            write_engine=write_engine,
        )
    translate_engine_errors(engine)
    return engine


def _ensure_sqlite_directory(url: URL) -> None:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
