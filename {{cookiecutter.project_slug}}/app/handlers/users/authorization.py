"""Who may run each users command and query (projects generated with auth=jwt).

Kept apart from the handlers so that a project without authentication has no `@authorize`
at all: the post-generation hook deletes this module. A permission lets its holder act on any
user; `resource_id_field` lets every user act on their own record without it; admins may act
on anyone. A plain user's principal carries no permission for all users (see
`app.infrastructure.auth.principals`), so they read, change, deactivate and delete only
themselves, and cannot list users, count them or create any.
"""

from __future__ import annotations

from app.core.cqrs import authorize
from app.domain.users.roles import Permission
from app.handlers.users.create_user import CreateUserHandler
from app.handlers.users.deactivate_user import DeactivateUserHandler
from app.handlers.users.delete_user import DeleteUserHandler
from app.handlers.users.find_users import FindUsersHandler
from app.handlers.users.get_user import GetUserHandler
from app.handlers.users.get_user_stats import GetUserStatsHandler
from app.handlers.users.update_user import UpdateUserHandler

authorize(permissions=[Permission.USER_CREATE])(CreateUserHandler)
authorize(permissions=[Permission.USER_READ], resource_id_field="user_id")(GetUserHandler)
authorize(permissions=[Permission.USER_READ])(FindUsersHandler)
authorize(permissions=[Permission.USER_READ])(GetUserStatsHandler)
authorize(permissions=[Permission.USER_UPDATE], resource_id_field="user_id")(UpdateUserHandler)
authorize(permissions=[Permission.USER_DELETE], resource_id_field="user_id")(DeleteUserHandler)
authorize(permissions=[Permission.USER_DELETE], resource_id_field="user_id")(DeactivateUserHandler)
