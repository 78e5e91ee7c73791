"""The cache tags user queries carry, and the ones each user event makes stale."""

from __future__ import annotations

from uuid import UUID

from app.core.cqrs.events import DomainEvent

USERS_LIST_TAG = "users:list"
USER_STATS_TAG = "users:stats"


def user_tag(user_id: UUID | str) -> str:
    return f"user:{user_id}"


def stale_tags(event: DomainEvent) -> tuple[str, ...]:
    """Any change to a user can change that user's view, every list and the counts."""
    return (user_tag(event.aggregate_id), USERS_LIST_TAG, USER_STATS_TAG)
