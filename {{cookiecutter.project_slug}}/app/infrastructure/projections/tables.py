"""Where each projection has got to in the event log."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, String, Table

from app.infrastructure.db.metadata import metadata
from app.infrastructure.db.types import UTCDateTime

projection_checkpoints = Table(
    "projection_checkpoints",
    metadata,
    Column("name", String(100), primary_key=True),
    # Every event at or below this position has been applied (or did not concern the projection).
    Column("position", BigInteger, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)
