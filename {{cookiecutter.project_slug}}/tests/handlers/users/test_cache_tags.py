from __future__ import annotations

from uuid import uuid4

from app.domain.users.events import UserDeleted
from app.handlers.users.cache_tags import USER_STATS_TAG, USERS_LIST_TAG, stale_tags, user_tag
from app.handlers.users.find_users import FindUsers
from app.handlers.users.get_user import GetUser
from app.handlers.users.get_user_stats import GetUserStats


def test_each_query_carries_the_tag_its_data_is_invalidated_by() -> None:
    user_id = uuid4()
    event = UserDeleted(aggregate_id=str(user_id), aggregate_version=2)

    stale = set(stale_tags(event))

    assert set(GetUser(user_id=user_id).get_cache_tags()) <= stale
    assert set(FindUsers().get_cache_tags()) <= stale
    assert set(GetUserStats().get_cache_tags()) <= stale


def test_a_users_event_does_not_stale_another_users_entry() -> None:
    event = UserDeleted(aggregate_id=str(uuid4()), aggregate_version=2)

    assert user_tag(uuid4()) not in stale_tags(event)
    assert {USERS_LIST_TAG, USER_STATS_TAG} <= set(stale_tags(event))
