"""Projects user events into `user_view`, the denormalized row queries read.

Each statement is guarded by the user's version, so an event applied a second time (or an
older one after a newer) changes nothing. Under write load most events are updates, so a run
of consecutive updates in a batch goes to the database as one executemany.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Table, bindparam, delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.cqrs.events import DomainEvent
from app.domain.users.events import UserCreated, UserDeactivated, UserDeleted, UserUpdated
from app.infrastructure.db.upsert import upsert_into
from app.infrastructure.events.stored import RecordedEvent
from app.infrastructure.projections.projection import Projection
from app.infrastructure.users.tables import user_view

# The SET clause comes from the parameters named after columns; these two only pick the row.
_newer = (user_view.c.id == bindparam("match_id")) & (
    user_view.c.version < bindparam("match_version")
)
_update = update(user_view).where(_newer)
_delete = delete(user_view).where(_newer)


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
        await self.apply_batch(connection, (recorded,))

    async def apply_batch(
        self, connection: AsyncConnection, batch: Sequence[RecordedEvent]
    ) -> None:
        updates: list[dict[str, Any]] = []
        for recorded in batch:
            event = recorded.event
            if isinstance(event, UserUpdated):
                updates.append(_updated(event, recorded.aggregate_version))
                continue
            if updates:
                await connection.execute(_update, updates)
                updates = []
            await self._apply_other(connection, recorded)
        if updates:
            await connection.execute(_update, updates)

    async def _apply_other(self, connection: AsyncConnection, recorded: RecordedEvent) -> None:
        event = recorded.event
        guard = {"match_id": UUID(event.aggregate_id), "match_version": recorded.aggregate_version}
        match event:
            case UserCreated():
                await connection.execute(
                    upsert_into(connection, user_view)
                    .values(
                        id=UUID(event.aggregate_id),
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
            case UserDeactivated():
                await connection.execute(
                    _update,
                    {
                        **guard,
                        "is_active": False,
                        "version": event.aggregate_version,
                        "updated_at": event.occurred_at,
                    },
                )
            case UserDeleted():
                await connection.execute(_delete, guard)


def _updated(event: UserUpdated, version: int) -> dict[str, Any]:
    return {
        "match_id": UUID(event.aggregate_id),
        "match_version": version,
        "email": event.email,
        "username": event.username,
        "full_name": event.full_name,
        "role": event.role.value,
        "is_active": event.is_active,
        "version": event.aggregate_version,
        "updated_at": event.occurred_at,
    }
