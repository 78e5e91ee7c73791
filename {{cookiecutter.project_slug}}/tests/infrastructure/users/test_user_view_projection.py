from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from sqlalchemy import select

from app.domain.users.events import UserUpdated
from app.domain.users.roles import UserRole
from app.infrastructure.events.stored import RecordedEvent
from app.infrastructure.users.tables import user_view
from app.infrastructure.users.user_view_projection import UserViewProjection
from tests.support.user_events import (
    T0,
    T1,
    user_created,
    user_deactivated,
    user_deleted,
    user_updated,
)

USER = uuid4()


def recorded(event, position: int) -> RecordedEvent:
    return RecordedEvent(position=position, aggregate_version=event.aggregate_version, event=event)


CREATED = user_created(str(USER), full_name="Ada Lovelace")
UPDATED = user_updated(str(USER), 2, at=T1, full_name="Ada King", role=UserRole.ADMIN)
DEACTIVATED = user_deactivated(str(USER), 3, at=T1)
DELETED = user_deleted(str(USER), 4, at=T1)
EMAIL = f"{USER}@example.com"


async def apply(database, *events) -> None:
    projection = UserViewProjection()
    async with database.write.begin() as connection:
        for position, event in enumerate(events, start=1):
            await projection.apply(connection, recorded(event, position))


async def view_rows(database) -> list[tuple[object, ...]]:
    async with database.read.connect() as connection:
        rows = await connection.execute(
            select(
                user_view.c.id,
                user_view.c.email,
                user_view.c.full_name,
                user_view.c.role,
                user_view.c.is_active,
                user_view.c.version,
                user_view.c.created_at,
                user_view.c.updated_at,
            )
        )
        return [tuple(row) for row in rows]


async def test_a_created_user_gets_a_row(database):
    await apply(database, CREATED)
    assert await view_rows(database) == [(USER, EMAIL, "Ada Lovelace", "user", True, 1, T0, T0)]


async def test_an_update_rewrites_the_row_and_keeps_its_creation_time(database):
    await apply(database, CREATED, UPDATED)
    assert await view_rows(database) == [(USER, EMAIL, "Ada King", "admin", True, 2, T0, T1)]


async def test_deactivation_and_deletion(database):
    await apply(database, CREATED, DEACTIVATED)
    assert [row[4] for row in await view_rows(database)] == [False]
    await apply(database, DELETED)
    assert await view_rows(database) == []


@pytest.mark.parametrize("event", [CREATED, UPDATED, DEACTIVATED], ids=lambda e: e.event_type())
async def test_applying_an_event_twice_changes_nothing(database, event):
    history = [CREATED, UPDATED, DEACTIVATED]
    await apply(database, *history[: history.index(event) + 1])
    once = await view_rows(database)
    await apply(database, event)
    assert await view_rows(database) == once


async def test_an_older_event_after_a_newer_one_changes_nothing(database):
    await apply(database, CREATED, UPDATED, DEACTIVATED)
    before = await view_rows(database)
    await apply(database, UPDATED)
    assert await view_rows(database) == before


def renamed(version: int, full_name: str) -> UserUpdated:
    return user_updated(str(USER), version, at=T1, full_name=full_name)


async def test_a_batch_ends_where_the_same_events_applied_one_at_a_time_end(database):
    # Runs of updates go out as one executemany: interleaved with other events, replayed, or
    # out of order, they must still land exactly as applying each event in turn would.
    history = [CREATED, renamed(2, "A"), renamed(3, "B"), renamed(2, "A"), DEACTIVATED]
    history += [renamed(4, "C"), renamed(5, "D"), DELETED, renamed(6, "E")]
    projection = UserViewProjection()
    seen_one_at_a_time = []
    for end in range(1, len(history) + 1):
        await apply(database, *history[:end])
        seen_one_at_a_time.append(await view_rows(database))
        async with database.write.begin() as connection:
            await connection.execute(user_view.delete())
    for end in range(1, len(history) + 1):
        batch = [recorded(event, position) for position, event in enumerate(history[:end], 1)]
        async with database.write.begin() as connection:
            await projection.apply_batch(connection, batch)
        assert await view_rows(database) == seen_one_at_a_time[end - 1]
        async with database.write.begin() as connection:
            await connection.execute(user_view.delete())


def test_it_subscribes_to_every_user_event():
    assert UserViewProjection().event_types == {
        "UserCreated",
        "UserUpdated",
        "UserDeactivated",
        "UserDeleted",
    }
    assert isinstance(USER, UUID)
