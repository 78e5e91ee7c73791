from __future__ import annotations

from uuid import uuid4

from app.container import Container
from app.core.cqrs.events import DomainEvent
from app.features.users import register_cache_tags
from app.handlers.users import (
    create_user,
    deactivate_user,
    delete_user,
    find_users,
    get_user,
    get_user_stats,
    update_user,
)
from app.handlers.users.cache_tags import USER_STATS_TAG, USERS_LIST_TAG, user_tag
from app.infrastructure.cache.invalidation import TagRules
from app.injection import ProviderHandlerFactory
from tests.support.user_events import user_created, user_deactivated, user_deleted, user_updated


def test_every_users_event_invalidates_its_user_the_lists_and_the_stats() -> None:
    rules = TagRules()
    register_cache_tags(rules)
    user_id = str(uuid4())
    events: list[DomainEvent] = [
        user_created(user_id),
        user_updated(user_id, 2, full_name="B"),
        user_deactivated(user_id, 3),
        user_deleted(user_id, 4),
    ]

    for event in events:
        assert set(rules.tags_for([event])) == {user_tag(user_id), USERS_LIST_TAG, USER_STATS_TAG}


def test_the_container_provides_everything_the_users_handlers_need(container: Container) -> None:
    build = ProviderHandlerFactory(container)
    handler_classes: list[type[object]] = [
        create_user.CreateUserHandler,
        update_user.UpdateUserHandler,
        delete_user.DeleteUserHandler,
        deactivate_user.DeactivateUserHandler,
        get_user.GetUserHandler,
        find_users.FindUsersHandler,
        get_user_stats.GetUserStatsHandler,
    ]

    for handler_class in handler_classes:
        assert isinstance(build(handler_class), handler_class)
