"""The user representation the reference apps return, the same fields the service returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

USER_COLUMNS = "id, email, username, full_name, role, is_active, version, created_at, updated_at"


class UserOut(BaseModel):
    id: UUID
    email: str
    username: str
    full_name: str
    role: str
    is_active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class UserPage(BaseModel):
    items: list[UserOut]
    pagination: dict[str, Any]


class FullNameChange(BaseModel):
    full_name: str = Field(min_length=1, max_length=200)


def user_from_row(row: Any) -> UserOut:
    return UserOut.model_validate(dict(row))


def pagination(page: int, page_size: int, total: int) -> dict[str, Any]:
    """The list page's `pagination` object, as the service writes it."""
    pages = -(-total // page_size)
    return {
        "page": page,
        "page_size": page_size,
        "total_count": total,
        "total_pages": pages,
        "has_next": page < pages,
        "has_previous": page > 1,
    }
