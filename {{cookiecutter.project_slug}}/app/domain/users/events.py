"""What can happen to a user.

Each event carries the user's version after the change (`aggregate_version`, which the event
log records) and, where the user still exists, the state a read model needs, so projections
never have to look back at the write model.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.cqrs.events import DomainEvent
from app.domain.users.roles import UserRole


@dataclass(frozen=True, kw_only=True)
class UserCreated(DomainEvent):
    aggregate_version: int
    email: str
    username: str
    full_name: str
    role: UserRole
    is_active: bool


@dataclass(frozen=True, kw_only=True)
class UserUpdated(DomainEvent):
    aggregate_version: int
    email: str
    username: str
    full_name: str
    role: UserRole
    is_active: bool
    changed_fields: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class UserDeactivated(DomainEvent):
    aggregate_version: int


@dataclass(frozen=True, kw_only=True)
class UserDeleted(DomainEvent):
    aggregate_version: int
