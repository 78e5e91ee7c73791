from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.cqrs.errors import NoActiveUnitOfWorkError
from app.domain.users.roles import UserRole
from app.domain.users.user import User
from app.infrastructure.db.errors import ConflictError, StaleVersionError
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.events.tables import event_log
from app.infrastructure.users.tables import users
from tests.infrastructure.users.scenario import change, register, repository


@pytest.fixture
def factory(database) -> SqlAlchemyUnitOfWorkFactory:
    return SqlAlchemyUnitOfWorkFactory(database.write)


async def counts(database) -> tuple[int, int]:
    async with database.read.connect() as connection:
        user_rows = (await connection.execute(select(func.count()).select_from(users))).scalar()
        events = (await connection.execute(select(func.count()).select_from(event_log))).scalar()
    return user_rows or 0, events or 0


async def test_a_registered_user_is_stored_with_its_event(factory, database):
    user = await register(factory, "Ada@Example.com", role=UserRole.ADMIN)

    async with await factory.begin():
        loaded = await repository.get(user.id)
        by_email = await repository.get_by_email("ADA@example.COM")

    assert loaded == by_email == user
    assert loaded is not None
    assert loaded.created_at.tzinfo is not None
    assert await counts(database) == (1, 1)


async def test_an_unknown_user_is_none(factory):
    async with await factory.begin():
        assert await repository.get_by_email("nobody@example.com") is None


async def test_a_taken_email_is_a_conflict_and_writes_nothing(factory, database):
    await register(factory, "ada@example.com")

    with pytest.raises(ConflictError):
        await register(factory, "ADA@example.com")

    assert await counts(database) == (1, 1)


async def test_saving_writes_the_new_state_when_nobody_changed_it_meanwhile(factory):
    user = await register(factory, "ada@example.com")
    await change(factory, user.id, full_name="Ada King", role=UserRole.ADMIN)

    async with await factory.begin():
        loaded = await repository.get(user.id)
    assert loaded is not None
    assert (loaded.full_name, loaded.role, loaded.version) == ("Ada King", UserRole.ADMIN, 2)


async def test_saving_over_a_concurrent_change_is_refused(factory, database):
    user = await register(factory, "ada@example.com")
    stale = User(**{field: getattr(user, field) for field in User.__slots__})
    await change(factory, user.id, full_name="First Writer")

    unit_of_work = await factory.begin()
    event = stale.update(full_name="Second Writer")
    assert event is not None
    unit_of_work.record(event)
    with pytest.raises(StaleVersionError):
        await repository.save(stale, expected_version=1)
    await unit_of_work.rollback()

    async with await factory.begin():
        loaded = await repository.get(user.id)
    assert loaded is not None
    assert loaded.full_name == "First Writer"
    assert await counts(database) == (1, 2)


async def test_deleting_removes_the_user_and_a_stale_delete_is_refused(factory, database):
    user = await register(factory, "ada@example.com")
    async with await factory.begin():
        with pytest.raises(StaleVersionError):
            await repository.delete(user.id, expected_version=5)

    await change(factory, user.id, delete=True)

    async with await factory.begin():
        assert await repository.get(user.id) is None
    assert await counts(database) == (0, 2)


async def test_the_repository_works_only_inside_a_unit_of_work(factory):
    user = await register(factory, "ada@example.com")
    with pytest.raises(NoActiveUnitOfWorkError):
        await repository.get(user.id)
