"""INSERT ... ON CONFLICT for the backend at hand (PostgreSQL and SQLite spell it alike)."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def upsert_into(connection: AsyncConnection, table: Table) -> postgresql.Insert | sqlite.Insert:
    dialect_name = connection.dialect.name
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"unsupported database {dialect_name!r}: use PostgreSQL or SQLite")
