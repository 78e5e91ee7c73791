"""Sample users events for tests: one user's history with only what a test cares about named."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.domain.users.events import UserCreated, UserDeactivated, UserDeleted, UserUpdated
from app.domain.users.roles import UserRole

T0 = datetime(2030, 1, 1, tzinfo=UTC)
T1 = datetime(2030, 1, 2, tzinfo=UTC)


def _details(user_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "email": f"{user_id}@example.com",
        "username": user_id,
        "full_name": user_id,
        "role": UserRole.USER,
        "is_active": True,
        **fields,
    }


def user_created(user_id: str, *, at: datetime = T0, **fields: Any) -> UserCreated:
    """Version 1 of `user_id`: an active plain user unless `fields` say otherwise."""
    return UserCreated(
        aggregate_id=user_id, occurred_at=at, aggregate_version=1, **_details(user_id, fields)
    )


def user_updated(user_id: str, version: int, *, at: datetime = T0, **fields: Any) -> UserUpdated:
    """The user as it is after the change; `changed_fields` are the fields given."""
    return UserUpdated(
        aggregate_id=user_id,
        occurred_at=at,
        aggregate_version=version,
        changed_fields=tuple(sorted(fields)),
        **_details(user_id, fields),
    )


def user_deactivated(user_id: str, version: int, *, at: datetime = T0) -> UserDeactivated:
    return UserDeactivated(aggregate_id=user_id, occurred_at=at, aggregate_version=version)


def user_deleted(user_id: str, version: int, *, at: datetime = T0) -> UserDeleted:
    return UserDeleted(aggregate_id=user_id, occurred_at=at, aggregate_version=version)
