from __future__ import annotations

import pytest

from app.domain.users.events import UserCreated, UserDeactivated, UserDeleted, UserUpdated
from app.domain.users.roles import UserRole
from app.infrastructure.events.codec import EventCodec, encode_payload
from app.infrastructure.events.stored import StoredEvent
from tests.support.user_events import user_created, user_deactivated, user_deleted, user_updated

EXAMPLES = [
    user_created("u1"),
    user_updated("u1", 2, full_name="Ada King", role=UserRole.ADMIN),
    user_deactivated("u1", 3),
    user_deleted("u1", 4),
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
