"""Projects user events into `user_stats`: how many users per role and activity.

A counter alone cannot tell a repeated event from a new one, so the projection also remembers
which bucket each user is counted in, and at which version: a change moves the user between
buckets exactly once, and a replayed event finds nothing to do.
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.cqrs.events import DomainEvent
from app.domain.users.events import UserCreated, UserDeactivated, UserDeleted, UserUpdated
from app.infrastructure.db.upsert import upsert_into
from app.infrastructure.events.stored import RecordedEvent
from app.infrastructure.projections.projection import Projection
from app.infrastructure.users.tables import user_stats, user_stats_members

_Bucket = tuple[str, bool]
_COUNTED_FIELDS = frozenset({"role", "is_active"})


class UserStatsProjection(Projection):
    name: ClassVar[str] = "user_stats"
    handles: ClassVar[tuple[type[DomainEvent], ...]] = (
        UserCreated,
        UserUpdated,
        UserDeactivated,
        UserDeleted,
    )
    tables: ClassVar[tuple[Table, ...]] = (user_stats, user_stats_members)

    async def apply(self, connection: AsyncConnection, recorded: RecordedEvent) -> None:
        event = recorded.event
        user_id = UUID(event.aggregate_id)
        version = recorded.aggregate_version
        if isinstance(event, UserCreated):
            inserted = await connection.execute(
                upsert_into(connection, user_stats_members)
                .values(
                    user_id=user_id,
                    role=event.role.value,
                    is_active=event.is_active,
                    version=version,
                )
                .on_conflict_do_nothing(index_elements=[user_stats_members.c.user_id])
                .returning(user_stats_members.c.user_id)
            )
            if inserted.first() is not None:
                await _count(connection, (event.role.value, event.is_active), +1)
            return
        if isinstance(event, UserUpdated) and _COUNTED_FIELDS.isdisjoint(event.changed_fields):
            # Renames and the like move no counter; skipping the member's version bump is safe,
            # since a replayed older event is still older than the version it remembers.
            return
        member = (
            await connection.execute(
                select(
                    user_stats_members.c.role,
                    user_stats_members.c.is_active,
                    user_stats_members.c.version,
                ).where(user_stats_members.c.user_id == user_id)
            )
        ).first()
        if member is None or member.version >= version:
            return
        before: _Bucket = (member.role, member.is_active)
        if isinstance(event, UserDeleted):
            await connection.execute(
                delete(user_stats_members).where(user_stats_members.c.user_id == user_id)
            )
            await _count(connection, before, -1)
            return
        after: _Bucket = before
        if isinstance(event, UserUpdated):
            after = (event.role.value, event.is_active)
        elif isinstance(event, UserDeactivated):
            after = (member.role, False)
        await connection.execute(
            update(user_stats_members)
            .where(user_stats_members.c.user_id == user_id)
            .values(role=after[0], is_active=after[1], version=version)
        )
        if after != before:
            await _count(connection, before, -1)
            await _count(connection, after, +1)


async def _count(connection: AsyncConnection, bucket: _Bucket, delta: int) -> None:
    role, is_active = bucket
    statement = upsert_into(connection, user_stats).values(
        role=role, is_active=is_active, user_count=delta
    )
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=[user_stats.c.role, user_stats.c.is_active],
            set_={"user_count": user_stats.c.user_count + statement.excluded.user_count},
        )
    )
