from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import select

from app.domain.users.events import UserCreated, UserUpdated
from app.domain.users.roles import UserRole
from app.infrastructure.events.stored import RecordedEvent
from app.infrastructure.users.tables import user_stats
from app.infrastructure.users.user_stats_projection import UserStatsProjection
from tests.support.user_events import user_created, user_deactivated, user_deleted, user_updated


def created(user_id: str, role: UserRole) -> UserCreated:
    return user_created(user_id, role=role)


def promoted(user_id: str, version: int) -> UserUpdated:
    return user_updated(user_id, version, role=UserRole.ADMIN)


ADA, BOB, CY = (str(uuid4()) for _ in range(3))
HISTORY = [
    created(ADA, UserRole.ADMIN),
    created(BOB, UserRole.USER),
    created(CY, UserRole.USER),
    promoted(BOB, 2),
    user_deactivated(CY, 2),
    user_deleted(ADA, 2),
]


async def apply(database, *events) -> None:
    projection = UserStatsProjection()
    async with database.write.begin() as connection:
        for event in events:
            await projection.apply(
                connection,
                RecordedEvent(position=1, aggregate_version=event.aggregate_version, event=event),
            )


async def counters(database) -> dict[tuple[str, bool], int]:
    async with database.read.connect() as connection:
        rows = await connection.execute(
            select(user_stats.c.role, user_stats.c.is_active, user_stats.c.user_count)
        )
        return {(role, active): count for role, active, count in rows if count}


async def test_users_are_counted_by_role_and_activity(database):
    await apply(database, *HISTORY[:3])
    assert await counters(database) == {("admin", True): 1, ("user", True): 2}


async def test_changes_move_users_between_counters_and_deletion_removes_them(database):
    await apply(database, *HISTORY)
    assert await counters(database) == {("admin", True): 1, ("user", False): 1}


@pytest.mark.parametrize("index", range(len(HISTORY)))
async def test_applying_any_event_twice_changes_nothing(database, index):
    await apply(database, *HISTORY[: index + 1])
    once = await counters(database)
    await apply(database, HISTORY[index])
    assert await counters(database) == once


async def test_a_rename_moves_no_counter_and_later_changes_still_count(database):
    renamed = user_updated(BOB, 2, full_name="Robert")
    await apply(database, created(BOB, UserRole.USER), renamed, promoted(BOB, 3))
    assert await counters(database) == {("admin", True): 1}

    await apply(database, renamed, promoted(BOB, 3))
    assert await counters(database) == {("admin", True): 1}


async def test_an_update_for_an_unknown_user_is_ignored(database):
    await apply(database, promoted(str(uuid4()), 2))
    assert await counters(database) == {}
