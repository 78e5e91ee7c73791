"""GetUser: one user from the user view read model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from app.core.cqrs import BaseQueryHandler, IQuery, NotFoundError, cached_query, query_handler
from app.handlers.users.cache_tags import user_tag
from app.handlers.users.locking import USER_NOT_FOUND
from app.infrastructure.users.read_models import UserView
from app.infrastructure.users.read_repository import UserReadRepository


@dataclass(frozen=True, slots=True)
class GetUser(IQuery[UserView]):
    user_id: UUID

    def get_aggregate_id(self) -> str:
        return str(self.user_id)

    def get_cache_tags(self) -> Sequence[str]:
        return (user_tag(self.user_id),)


@query_handler(GetUser)
@cached_query(ttl_seconds=300, vary_by=["user_id"])
class GetUserHandler(BaseQueryHandler[GetUser, UserView]):
    def __init__(self, user_read_repository: UserReadRepository) -> None:
        self._users = user_read_repository

    async def _handle(self, query: GetUser) -> UserView:
        user = await self._users.get_by_id(query.user_id)
        if user is None:
            raise NotFoundError(USER_NOT_FOUND)
        return user
