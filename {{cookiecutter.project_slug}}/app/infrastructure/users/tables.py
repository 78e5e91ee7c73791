"""The users tables: the normalized write model and the read models projected from its events."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, Index, Integer, String, Table, Uuid

from app.infrastructure.db.metadata import metadata
from app.infrastructure.db.types import UTCDateTime

_ROLE_CHECK = "role IN ('admin', 'user')"

# Write model: what commands load, check and change.
users = Table(
    "users",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("username", String(100), nullable=False),
    Column("full_name", String(200), nullable=False),
    Column("hashed_password", String(255), nullable=False),
    Column("role", String(20), nullable=False),
    Column("is_active", Boolean(), nullable=False),
    # Optimistic concurrency: an update names the version it read.
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint(_ROLE_CHECK, name="role"),
)

# Read model for get-by-id and filtered lists (ordered by email), owned by UserViewProjection.
user_view = Table(
    "user_view",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("email", String(320), nullable=False),
    Column("username", String(100), nullable=False),
    Column("full_name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("is_active", Boolean(), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # Lists are ordered by (email, id); with id in the key a page is read in index order
    # (LIMIT/OFFSET stop early) instead of fetching every match and sorting it.
    Index(None, "email", "id"),
    Index(None, "role", "email", "id"),
)

# Read model for statistics, owned by UserStatsProjection: one counter per (role, activity)...
user_stats = Table(
    "user_stats",
    metadata,
    Column("role", String(20), primary_key=True),
    Column("is_active", Boolean(), primary_key=True),
    Column("user_count", Integer, nullable=False),
)

# ...and the bucket each user is counted in, so a change moves them between counters once.
user_stats_members = Table(
    "user_stats_members",
    metadata,
    Column("user_id", Uuid(), primary_key=True),
    Column("role", String(20), nullable=False),
    Column("is_active", Boolean(), nullable=False),
    Column("version", Integer, nullable=False),
)
