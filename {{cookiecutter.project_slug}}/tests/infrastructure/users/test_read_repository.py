from __future__ import annotations

from uuid import uuid4

import pytest

from app.domain.users.roles import UserRole
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.users.read_models import UserStats
from app.infrastructure.users.read_repository import UserReadRepository
from tests.infrastructure.users.scenario import change, project, register


@pytest.fixture
def factory(database) -> SqlAlchemyUnitOfWorkFactory:
    return SqlAlchemyUnitOfWorkFactory(database.write)


@pytest.fixture
def reader(database) -> UserReadRepository:
    return UserReadRepository(database.read)


@pytest.fixture
async def people(factory, database):
    """Five users: two admins, one deactivated user; projected."""
    ada = await register(factory, "ada@example.com", role=UserRole.ADMIN, full_name="Ada")
    await register(factory, "bob@example.org", full_name="Bob")
    cy = await register(factory, "cy_100%@example.com", full_name="Cy")
    await register(factory, "dee@example.com", role=UserRole.ADMIN, full_name="Dee")
    await register(factory, "eve@example.org", full_name="Eve")
    await change(factory, cy.id, deactivate=True)
    await project(database)
    return {"ada": ada, "cy": cy}


async def test_a_user_is_found_by_id_with_its_projected_state(people, reader):
    view = await reader.get_by_id(people["cy"].id)

    assert view is not None
    assert (view.email, view.full_name, view.role, view.is_active, view.version) == (
        "cy_100%@example.com",
        "Cy",
        UserRole.USER,
        False,
        2,
    )
    assert view.created_at == people["cy"].created_at
    assert view.updated_at.tzinfo is not None


async def test_an_unknown_id_is_none(people, reader):
    assert await reader.get_by_id(uuid4()) is None


async def test_an_unfiltered_page_lists_users_ordered_by_email(people, reader):
    page = await reader.find(page=1, page_size=2)

    assert [user.email for user in page.items] == ["ada@example.com", "bob@example.org"]
    assert (page.total_count, page.total_pages, page.has_next, page.has_previous) == (
        5,
        3,
        True,
        False,
    )


async def test_the_last_page_holds_the_rest(people, reader):
    page = await reader.find(page=3, page_size=2)
    assert [user.email for user in page.items] == ["eve@example.org"]
    assert (page.has_next, page.has_previous) == (False, True)


async def test_a_page_past_the_end_is_empty_but_still_counts(people, reader):
    page = await reader.find(page=9, page_size=2)
    assert page.items == ()
    assert page.total_count == 5


@pytest.mark.parametrize(
    ("filters", "emails"),
    [
        ({"email_contains": "EXAMPLE.ORG"}, ["bob@example.org", "eve@example.org"]),
        ({"email_contains": "_100%"}, ["cy_100%@example.com"]),
        ({"email_contains": "%"}, ["cy_100%@example.com"]),
        ({"role": UserRole.ADMIN}, ["ada@example.com", "dee@example.com"]),
        ({"is_active": False}, ["cy_100%@example.com"]),
        (
            {"role": UserRole.USER, "is_active": True},
            ["bob@example.org", "eve@example.org"],
        ),
        ({"role": UserRole.ADMIN, "email_contains": "dee"}, ["dee@example.com"]),
        ({"email_contains": "nobody"}, []),
    ],
)
async def test_filters_narrow_the_list_and_its_count(people, reader, filters, emails):
    page = await reader.find(**filters, page_size=20)
    assert [user.email for user in page.items] == emails
    assert page.total_count == len(emails)


async def test_pages_start_at_one(reader):
    with pytest.raises(ValueError, match="start at 1"):
        await reader.find(page=0)


async def test_stats_count_users_by_role_and_activity(people, reader):
    assert await reader.stats() == UserStats(
        total=5,
        active=4,
        inactive=1,
        by_role={UserRole.ADMIN: 2, UserRole.USER: 3},
    )


async def test_stats_of_nobody_are_zeros(reader):
    assert await reader.stats() == UserStats(
        total=0, active=0, inactive=0, by_role={UserRole.ADMIN: 0, UserRole.USER: 0}
    )


async def test_deleted_users_leave_the_read_models(people, factory, database, reader):
    await change(factory, people["ada"].id, delete=True)
    await project(database)

    assert await reader.get_by_id(people["ada"].id) is None
    assert (await reader.find()).total_count == 4
    assert (await reader.stats()).by_role[UserRole.ADMIN] == 1
