"""The event log table: every domain event, by position, forever."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Integer, String, Table, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB

from app.infrastructure.db.metadata import metadata
from app.infrastructure.db.types import UTCDateTime

event_log = Table(
    "event_log",
    metadata,
    # INTEGER PRIMARY KEY on SQLite is the rowid; PostgreSQL gets a bigserial.
    Column(
        "position",
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    Column("event_type", String(200), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("aggregate_id", String(200), nullable=False),
    Column("aggregate_version", Integer, nullable=False),
    Column("payload", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    Column("occurred_at", UTCDateTime(), nullable=False),
    # Two events can never claim the same version of one aggregate.
    UniqueConstraint("aggregate_id", "aggregate_version"),
)
