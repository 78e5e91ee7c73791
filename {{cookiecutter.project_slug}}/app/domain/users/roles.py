"""Roles and what each one may do."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class UserRole(StrEnum):
    ADMIN = "admin"
    USER = "user"


class Permission(StrEnum):
    USER_CREATE = "user:create"
    USER_READ = "user:read"
    USER_UPDATE = "user:update"
    USER_DELETE = "user:delete"


# A plain user may read and update; which records is decided per resource (their own).
ROLE_PERMISSIONS: Mapping[UserRole, frozenset[Permission]] = MappingProxyType(
    {
        UserRole.ADMIN: frozenset(Permission),
        UserRole.USER: frozenset({Permission.USER_READ, Permission.USER_UPDATE}),
    }
)


def permissions_for(role: UserRole) -> frozenset[str]:
    """The permission strings a role grants, as principals carry them."""
    return frozenset(str(permission) for permission in ROLE_PERMISSIONS[role])
