"""Loading a user to change: row-locked for the transaction, with the version it was read at.

The version is kept apart because changing the user moves it on, and the save must name the
version that was loaded (optimistic concurrency, on top of the lock where the database has one).
"""

from __future__ import annotations

from uuid import UUID

from app.core.cqrs import NotFoundError
from app.domain.users.user import User
from app.infrastructure.users.write_repository import UserWriteRepository

USER_NOT_FOUND = "User not found"


async def user_to_change(users: UserWriteRepository, user_id: UUID) -> tuple[User, int]:
    """The user and its loaded version; a missing user is the command's 404."""
    user = await users.get(user_id, for_update=True)
    if user is None:
        raise NotFoundError(USER_NOT_FOUND)
    return user, user.version
