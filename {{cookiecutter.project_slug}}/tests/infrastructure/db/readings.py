"""A test-only table with a column of each type read statements return alike, and its rows.

It lives in its own metadata (not part of the application schema), so the read statements are
tested without the users example; `database` empties it before each test like any table.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID

from sqlalchemy import Boolean, Column, Date, Integer, MetaData, String, Table, Uuid, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infrastructure.db.types import UTCDateTime


class Kind(enum.StrEnum):
    """Stored as its string value, as the users example stores roles."""

    GAUGE = "gauge"
    METER = "meter"


readings_metadata = MetaData()

readings = Table(
    "test_readings",
    readings_metadata,
    Column("id", Uuid(), primary_key=True),
    Column("label", String(50), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("flag", Boolean(), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("taken_at", UTCDateTime(), nullable=False),
    Column("day", Date(), nullable=True),
)

FIRST = {
    "id": UUID("00000000-0000-4000-8000-000000000001"),
    "label": "first 100%_done/",
    "kind": Kind.GAUGE.value,
    "flag": True,
    "amount": 7,
    # Not in UTC: stored as the same instant, read back in UTC.
    "taken_at": datetime(2024, 5, 6, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2))),
    "day": date(2024, 5, 6),
}
SECOND = {
    "id": UUID("00000000-0000-4000-8000-000000000002"),
    "label": "second",
    "kind": Kind.METER.value,
    "flag": False,
    "amount": -3,
    "taken_at": datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC),
    "day": None,
}


async def create_readings(engine: AsyncEngine) -> None:
    """The table with FIRST and SECOND in it."""
    async with engine.begin() as connection:
        await connection.run_sync(readings_metadata.create_all)
        await connection.execute(insert(readings), [FIRST, SECOND])
