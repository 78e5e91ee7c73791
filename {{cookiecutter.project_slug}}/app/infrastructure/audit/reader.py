"""Reading the audit trail, newest first, a page at a time, filtered by user or command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infrastructure.audit.tables import audit_log


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    occurred_at: datetime
    command_name: str
    operation_id: str
    correlation_id: str | None
    user_id: str | None
    status: str
    duration_ms: float
    payload: dict[str, Any]
    errors: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class AuditPage:
    items: list[AuditRecord]
    total_count: int
    page: int
    page_size: int


class AuditTrailReader:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def page(
        self,
        *,
        user_id: str | None = None,
        command_name: str | None = None,
        page: int = 1,
        page_size: int = 50,
    ) -> AuditPage:
        if page < 1 or page_size < 1:
            raise ValueError("page and page_size start at 1")
        rows = _filtered(select(audit_log), user_id, command_name)
        rows = rows.order_by(audit_log.c.id.desc()).limit(page_size).offset((page - 1) * page_size)
        count = _filtered(select(func.count()).select_from(audit_log), user_id, command_name)
        async with self._engine.connect() as connection:
            items = [AuditRecord(**row._mapping) for row in await connection.execute(rows)]
            total = (await connection.execute(count)).scalar_one()
        return AuditPage(items=items, total_count=total, page=page, page_size=page_size)


def _filtered(statement: Select[Any], user_id: str | None, command_name: str | None) -> Select[Any]:
    if user_id is not None:
        statement = statement.where(audit_log.c.user_id == user_id)
    if command_name is not None:
        statement = statement.where(audit_log.c.command_name == command_name)
    return statement
