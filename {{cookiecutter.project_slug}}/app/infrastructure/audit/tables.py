"""The audit_log table: one row per command execution, newest with the highest id."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Float, Index, Integer, String, Table
from sqlalchemy.dialects.postgresql import JSONB

from app.infrastructure.db.metadata import metadata
from app.infrastructure.db.types import UTCDateTime

MAX_ID_LENGTH = 128

audit_log = Table(
    "audit_log",
    metadata,
    Column(
        "id",
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    Column("occurred_at", UTCDateTime(), nullable=False),
    Column("command_name", String(200), nullable=False),
    Column("operation_id", String(MAX_ID_LENGTH), nullable=False),
    Column("correlation_id", String(MAX_ID_LENGTH), nullable=True),
    Column("user_id", String(MAX_ID_LENGTH), nullable=True),
    Column("status", String(32), nullable=False),
    Column("duration_ms", Float(), nullable=False),
    Column("payload", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    Column("errors", JSON().with_variant(JSONB(), "postgresql"), nullable=True),
    # The admin view filters by user or by command, newest first.
    Index("ix_audit_log_user_id_id", "user_id", "id"),
    Index("ix_audit_log_command_name_id", "command_name", "id"),
)
