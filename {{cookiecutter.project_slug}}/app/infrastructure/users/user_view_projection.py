"""Projects user events into `user_view`, the denormalized row queries read.

Each statement is guarded by the user's version, so an event applied a second time (or an
older one after a newer) changes nothing.
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from sqlalchemy import Table, delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.cqrs.events import DomainEvent
from app.domain.users.events import UserCreated, UserDeactivated, UserDeleted, UserUpdated
from app.infrastructure.db.upsert import upsert_into
from app.infrastructure.events.stored import RecordedEvent
from app.infrastructure.projections.projection import Projection
from app.infrastructure.users.tables import user_view


class UserViewProjection(Projection):
    name: ClassVar[str] = "user_view"
    handles: ClassVar[tuple[type[DomainEvent], ...]] = (
        UserCreated,
        UserUpdated,
        UserDeactivated,
        UserDeleted,
    )
    tables: ClassVar[tuple[Table, ...]] = (user_view,)

    async def apply(self, connection: AsyncConnection, recorded: RecordedEvent) -> None:
        event = recorded.event
        user_id = UUID(event.aggregate_id)
        newer = (user_view.c.id == user_id) & (user_view.c.version < recorded.aggregate_version)
        match event:
            case UserCreated():
                await connection.execute(
                    upsert_into(connection, user_view)
                    .values(
                        id=user_id,
                        email=event.email,
                        username=event.username,
                        full_name=event.full_name,
                        role=event.role.value,
                        is_active=event.is_active,
                        version=event.aggregate_version,
                        created_at=event.occurred_at,
                        updated_at=event.occurred_at,
                    )
                    .on_conflict_do_nothing(index_elements=[user_view.c.id])
                )
            case UserUpdated():
                await connection.execute(
                    update(user_view)
                    .where(newer)
                    .values(
                        email=event.email,
                        username=event.username,
                        full_name=event.full_name,
                        role=event.role.value,
                        is_active=event.is_active,
                        version=event.aggregate_version,
                        updated_at=event.occurred_at,
                    )
                )
            case UserDeactivated():
                await connection.execute(
                    update(user_view)
                    .where(newer)
                    .values(
                        is_active=False,
                        version=event.aggregate_version,
                        updated_at=event.occurred_at,
                    )
                )
            case UserDeleted():
                await connection.execute(delete(user_view).where(newer))
