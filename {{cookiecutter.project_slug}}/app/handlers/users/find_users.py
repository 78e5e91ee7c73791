"""FindUsers: one page of users, filtered, from the user view read model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.core.cqrs import BaseQueryHandler, IQuery, cached_query, query_handler
from app.domain.users.roles import UserRole
from app.handlers.users.cache_tags import USERS_LIST_TAG
from app.handlers.users.validation import MAX_EMAIL_LENGTH, NUL_PROBLEM
from app.infrastructure.users.read_models import UserPage
from app.infrastructure.users.read_repository import UserReadRepository

MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class FindUsers(IQuery[UserPage]):
    email_contains: str | None = None
    role: UserRole | None = None
    is_active: bool | None = None
    page: int = 1
    page_size: int = 20

    def validate(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.page < 1:
            errors["page"] = "Must be at least 1"
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            errors["page_size"] = f"Must be between 1 and {MAX_PAGE_SIZE}"
        if self.email_contains is not None:
            if len(self.email_contains) > MAX_EMAIL_LENGTH:
                errors["email_contains"] = f"At most {MAX_EMAIL_LENGTH} characters"
            elif "\x00" in self.email_contains:
                errors["email_contains"] = NUL_PROBLEM
        return errors

    def get_cache_tags(self) -> Sequence[str]:
        return (USERS_LIST_TAG,)


@query_handler(FindUsers)
@cached_query(ttl_seconds=60)
class FindUsersHandler(BaseQueryHandler[FindUsers, UserPage]):
    def __init__(self, user_read_repository: UserReadRepository) -> None:
        self._users = user_read_repository

    async def _handle(self, query: FindUsers) -> UserPage:
        return await self._users.find(
            email_contains=query.email_contains,
            role=query.role,
            is_active=query.is_active,
            page=query.page,
            page_size=query.page_size,
        )

    async def _get_pagination_info(self, query: FindUsers, result: UserPage) -> dict[str, Any]:
        return {
            "page": result.page,
            "page_size": result.page_size,
            "total_count": result.total_count,
            "total_pages": result.total_pages,
            "has_next": result.has_next,
            "has_previous": result.has_previous,
        }
