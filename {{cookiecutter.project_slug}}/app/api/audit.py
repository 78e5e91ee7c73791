"""`GET /api/v1/audit`: the audit trail for administrators, newest first, a page at a time.

The router is built with two dependencies the application provides: one that yields the
trail's reader, and one that refuses anyone but an administrator (raising the API's 401/403
problem). Filters: `user_id`, `command_name`; `page_size` is capped at 100.
"""

# No `from __future__ import annotations` here: FastAPI must evaluate the route's annotations,
# and they name the dependencies passed to `build_audit_router`, which live in its closure.
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from app.api.paging import MAX_PAGE
from app.api.problems import ProblemError
from app.api.security import authenticated_principal
from app.api.text_rules import STORABLE_TEXT
from app.core.cqrs import Principal
from app.infrastructure.audit.reader import AuditPage, AuditTrailReader

MAX_PAGE_SIZE = 100


class AuditEntryOut(BaseModel):
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


class PaginationOut(BaseModel):
    page: int
    page_size: int
    total_count: int
    total_pages: int
    has_next: bool
    has_previous: bool


class AuditPageOut(BaseModel):
    items: list[AuditEntryOut]
    pagination: PaginationOut

    @classmethod
    def from_page(cls, page: AuditPage) -> "AuditPageOut":
        total_pages = -(-page.total_count // page.page_size)
        return cls(
            items=[AuditEntryOut.model_validate(item, from_attributes=True) for item in page.items],
            pagination=PaginationOut(
                page=page.page,
                page_size=page.page_size,
                total_count=page.total_count,
                total_pages=total_pages,
                has_next=page.page < total_pages,
                has_previous=page.page > 1,
            ),
        )


def build_audit_router(
    *,
    reader: Callable[..., AuditTrailReader],
    require_admin: Callable[..., object],
) -> APIRouter:
    router = APIRouter(
        prefix="/api/v1/audit", tags=["audit"], dependencies=[Depends(require_admin)]
    )

    @router.get("", summary="The audit trail of command executions (administrators only)")
    async def list_audit_entries(
        trail: Annotated[AuditTrailReader, Depends(reader)],
        user_id: Annotated[str | None, Query(max_length=128, pattern=STORABLE_TEXT)] = None,
        command_name: Annotated[str | None, Query(max_length=200, pattern=STORABLE_TEXT)] = None,
        page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
        page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    ) -> AuditPageOut:
        found = await trail.page(
            user_id=user_id, command_name=command_name, page=page, page_size=page_size
        )
        return AuditPageOut.from_page(found)

    return router


def application_audit_trail(request: Request) -> AuditTrailReader:
    reader: AuditTrailReader = request.app.state.container.audit_reader()
    return reader


async def require_admin(
    principal: Annotated[Principal, Depends(authenticated_principal)],
) -> Principal:
    if not principal.is_admin:
        raise ProblemError(403, detail="The audit trail is for administrators only")
    return principal


router = build_audit_router(reader=application_audit_trail, require_admin=require_admin)
