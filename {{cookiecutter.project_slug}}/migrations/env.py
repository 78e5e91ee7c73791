"""Alembic environment: migrations run through the app's own async engine setup.

The database is the app's `DATABASE_URL`, unless the Alembic config's `sqlalchemy.url` is set
(tests do this) or `-x database_url=...` is given on the command line.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection

from app.infrastructure.db.engines import create_write_engine
from app.infrastructure.db.schema import load_schema
from app.infrastructure.db.types import UTCDateTime
from app.settings import get_settings

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = load_schema()


def database_url() -> str:
    return (
        context.get_x_argument(as_dictionary=True).get("database_url")
        or config.get_main_option("sqlalchemy.url")
        or get_settings().database_url
    )


def render_item(kind: str, item: Any, _context: Any) -> str | Literal[False]:
    """Autogenerate plain SQLAlchemy types, so migrations never import application code."""
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure(**options: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        render_item=render_item,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=database_url().startswith("sqlite"),
        **options,
    )


def run_offline() -> None:
    configure(url=database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_sync(connection: Connection) -> None:
    configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    engine = create_write_engine(get_settings(), url=database_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    asyncio.run(run_online())
