"""Core tables: the event log and projection checkpoints.

Revision ID: 0001
Revises:
Create Date: 2026-01-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The log's head for readers (see app/infrastructure/events/log.py): appends hold the lock key
# shared until they end; taking it exclusively waits for those in flight, so nothing at or
# below the max read next can still commit. A session lock, released before returning (also
# when the read fails), so the reader's own transaction does not hold appends back.
_CREATE_EVENT_LOG_HEAD = """
CREATE FUNCTION event_log_head(append_lock_key bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head bigint;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION USING MESSAGE = 'event_log_head needs READ COMMITTED, not '
            || current_setting('transaction_isolation');
    END IF;
    PERFORM pg_advisory_lock(append_lock_key);
    BEGIN
        -- A statement after the wait: its snapshot sees every append that was in flight.
        SELECT coalesce(max(position), 0) INTO head FROM event_log;
    EXCEPTION WHEN query_canceled OR others THEN
        PERFORM pg_advisory_unlock(append_lock_key);
        RAISE;
    END;
    PERFORM pg_advisory_unlock(append_lock_key);
    RETURN head;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "event_log",
        sa.Column(
            "position",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("aggregate_id", sa.String(length=200), nullable=False),
        sa.Column("aggregate_version", sa.Integer(), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_event_log")),
        sa.UniqueConstraint(
            "aggregate_id",
            "aggregate_version",
            name=op.f("uq_event_log_aggregate_id_aggregate_version"),
        ),
    )
    op.create_table(
        "projection_checkpoints",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_projection_checkpoints")),
    )
    if op.get_context().dialect.name == "postgresql":
        op.execute(_CREATE_EVENT_LOG_HEAD)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION event_log_head(bigint)")
    op.drop_table("projection_checkpoints")
    op.drop_table("event_log")
