"""Which permission each users handler requires, and whose own record it may touch."""

from __future__ import annotations

import app.handlers.users.authorization  # noqa: F401 (applies the requirements)
from app.core.cqrs import AuthorizationRequirement
from app.core.cqrs.options import handler_options
from app.handlers.users.create_user import CreateUserHandler
from app.handlers.users.deactivate_user import DeactivateUserHandler
from app.handlers.users.delete_user import DeleteUserHandler
from app.handlers.users.find_users import FindUsersHandler
from app.handlers.users.get_user import GetUserHandler
from app.handlers.users.get_user_stats import GetUserStatsHandler
from app.handlers.users.update_user import UpdateUserHandler


def requirement(handler_class: type) -> AuthorizationRequirement | None:
    return handler_options(handler_class).authorization


def test_every_users_handler_requires_authorization() -> None:
    expected = {
        CreateUserHandler: ({"user:create"}, None),
        GetUserHandler: ({"user:read"}, "user_id"),
        FindUsersHandler: ({"user:read"}, None),
        GetUserStatsHandler: ({"user:read"}, None),
        UpdateUserHandler: ({"user:update"}, "user_id"),
        DeleteUserHandler: ({"user:delete"}, "user_id"),
        DeactivateUserHandler: ({"user:delete"}, "user_id"),
    }

    for handler_class, (permissions, own_record_field) in expected.items():
        found = requirement(handler_class)
        assert found is not None, handler_class
        assert (set(found.permissions), found.resource_id_field) == (
            permissions,
            own_record_field,
        )
        assert found.allow_admin_override
