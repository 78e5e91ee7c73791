"""Writing audit rows: inside a transaction that is about to commit, or in one of their own."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.infrastructure.audit.entry import AuditEntry
from app.infrastructure.audit.tables import audit_log

logger = logging.getLogger(__name__)

_insert = insert(audit_log)


async def insert_entries(connection: AsyncConnection, entries: Sequence[AuditEntry]) -> None:
    """Add the rows to the connection's open transaction; committing is the caller's job."""
    rows = [entry.row() for entry in entries]
    # One row (the usual case) as plain parameters: a list, even of one, takes SQLAlchemy's
    # executemany path, which rewrites the statement on every call.
    await connection.execute(_insert, rows[0] if len(rows) == 1 else rows)


class AuditWriter:
    """Writes rows in a transaction of their own, on the write engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def write(self, entries: Sequence[AuditEntry]) -> None:
        """Never raises: the command's outcome must reach its caller even if this fails.

        When the database itself is what failed, the entries go to the log instead (at ERROR,
        payloads already redacted), so the record survives somewhere.
        """
        if not entries:
            return
        try:
            async with self._engine.begin() as connection:
                await insert_entries(connection, entries)
        except Exception:
            logger.exception(
                "could not write %d audit row(s); recording them here instead",
                len(entries),
                extra={"audit_rows": [_loggable(entry) for entry in entries]},
            )


def _loggable(entry: AuditEntry) -> dict[str, object]:
    row = entry.row()
    row["occurred_at"] = entry.occurred_at.isoformat()
    return row
