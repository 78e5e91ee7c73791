"""The idempotency_keys table: one row per (caller and route, key), until it expires."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Integer, LargeBinary, String, Table

from app.infrastructure.db.metadata import metadata
from app.infrastructure.db.types import UTCDateTime

MAX_KEY_LENGTH = 255

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    # A digest of who sent the request to which route: keys are only unique per caller.
    Column("scope", String(64), primary_key=True),
    Column("key", String(MAX_KEY_LENGTH), primary_key=True),
    # A keyed digest of the request, so a key reused for a different request is recognised.
    Column("fingerprint", String(64), nullable=False),
    # NULL while the first request is still running.
    Column("status_code", Integer, nullable=True),
    Column("response_body", LargeBinary, nullable=True),
    Column("response_headers", JSON, nullable=True),
    Column("reserved_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Index(None, "expires_at"),
)
