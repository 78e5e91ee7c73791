"""What the users routes accept and return.

Responses are the read models themselves (frozen dataclasses), which FastAPI validates and
serializes; their OpenAPI schemas come from the same classes, so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.api.paging import MAX_PAGE
from app.api.text_rules import STORABLE_TEXT
from app.domain.users.roles import UserRole
from app.infrastructure.users.read_models import UserView

# Deliberately loose: the address is proven by use, not by a regular expression.
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=320, pattern=r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$"
    ),
]
Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=STORABLE_TEXT),
]
FullName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=STORABLE_TEXT),
]
# Argon2 takes any length; the cap keeps hashing cost bounded.
Password = Annotated[str, StringConstraints(min_length=8, max_length=128)]


class CreateUserRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    username: Username
    full_name: FullName
    password: Password
    role: UserRole = UserRole.USER


class UpdateUserRequest(BaseModel):
    """Only the fields given change; at least one must be."""

    model_config = ConfigDict(extra="forbid")

    email: Email | None = None
    username: Username | None = None
    full_name: FullName | None = None
    password: Password | None = None


@dataclass(frozen=True, slots=True)
class CreatedUser:
    id: UUID


@dataclass(frozen=True, slots=True)
class Pagination:
    page: int
    page_size: int
    total_count: int
    total_pages: int
    has_next: bool
    has_previous: bool


@dataclass(frozen=True, slots=True)
class UserList:
    items: tuple[UserView, ...]
    pagination: Pagination


class UserListQuery(BaseModel):
    """Filters and paging of `GET /api/v1/users`."""

    email_contains: str | None = Field(default=None, max_length=320, pattern=STORABLE_TEXT)
    role: UserRole | None = None
    is_active: bool | None = None
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=20, ge=1, le=100)
