"""GetUserStats: how many users there are, by role and by activity, from the stats read model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.cqrs import BaseQueryHandler, IQuery, cached_query, query_handler
from app.handlers.users.cache_tags import USER_STATS_TAG
from app.infrastructure.users.read_models import UserStats
from app.infrastructure.users.read_repository import UserReadRepository


@dataclass(frozen=True, slots=True)
class GetUserStats(IQuery[UserStats]):
    def get_cache_tags(self) -> Sequence[str]:
        return (USER_STATS_TAG,)


@query_handler(GetUserStats)
@cached_query(ttl_seconds=60)
class GetUserStatsHandler(BaseQueryHandler[GetUserStats, UserStats]):
    def __init__(self, user_read_repository: UserReadRepository) -> None:
        self._users = user_read_repository

    async def _handle(self, query: GetUserStats) -> UserStats:
        return await self._users.stats()
