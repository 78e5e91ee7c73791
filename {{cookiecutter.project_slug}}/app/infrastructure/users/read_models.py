"""What user queries return: plain frozen data, ready to serialize."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from app.domain.users.roles import UserRole


@dataclass(frozen=True, slots=True)
class UserView:
    id: UUID
    email: str
    username: str
    full_name: str
    role: UserRole
    is_active: bool
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class UserPage:
    items: tuple[UserView, ...]
    total_count: int
    page: int
    page_size: int

    @property
    def total_pages(self) -> int:
        return -(-self.total_count // self.page_size)

    @property
    def has_next(self) -> bool:
        return self.page < self.total_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass(frozen=True, slots=True)
class UserStats:
    total: int
    active: int
    inactive: int
    by_role: Mapping[UserRole, int]
