from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.domain.users.events import UserCreated, UserDeactivated, UserDeleted, UserUpdated
from app.domain.users.roles import UserRole
from app.infrastructure.events.codec import EventCodec, encode_payload
from app.infrastructure.events.stored import StoredEvent

T0 = datetime(2030, 1, 1, tzinfo=UTC)

EXAMPLES = [
    UserCreated(
        aggregate_id="u1",
        occurred_at=T0,
        aggregate_version=1,
        email="ada@example.com",
        username="ada",
        full_name="Ada Lovelace",
        role=UserRole.USER,
        is_active=True,
    ),
    UserUpdated(
        aggregate_id="u1",
        occurred_at=T0,
        aggregate_version=2,
        email="ada@example.com",
        username="ada",
        full_name="Ada King",
        role=UserRole.ADMIN,
        is_active=True,
        changed_fields=("full_name", "role"),
    ),
    UserDeactivated(aggregate_id="u1", occurred_at=T0, aggregate_version=3),
    UserDeleted(aggregate_id="u1", occurred_at=T0, aggregate_version=4),
]


@pytest.mark.parametrize("event", EXAMPLES, ids=lambda event: event.event_type())
def test_user_events_survive_the_event_log(event):
    codec = EventCodec([UserCreated, UserUpdated, UserDeactivated, UserDeleted])
    stored = StoredEvent(
        position=1,
        event_type=event.event_type(),
        schema_version=event.schema_version,
        aggregate_id=event.aggregate_id,
        aggregate_version=event.aggregate_version,
        payload=encode_payload(event),
        occurred_at=event.occurred_at,
    )
    assert codec.decode(stored) == event
