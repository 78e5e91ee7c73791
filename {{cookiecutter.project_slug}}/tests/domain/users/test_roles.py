from __future__ import annotations

from app.domain.users.roles import Permission, UserRole, permissions_for


def test_an_admin_may_do_everything_with_users():
    assert permissions_for(UserRole.ADMIN) == {
        "user:create",
        "user:read",
        "user:update",
        "user:delete",
    }


def test_a_plain_user_may_only_read_and_update():
    assert permissions_for(UserRole.USER) == {"user:read", "user:update"}


def test_roles_and_permissions_are_their_string_values():
    assert UserRole("admin") is UserRole.ADMIN
    assert str(Permission.USER_DELETE) == "user:delete"
