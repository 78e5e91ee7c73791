from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.cqrs.errors import NoActiveUnitOfWorkError
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.events.publisher import UnitOfWorkEventPublisher
from app.infrastructure.events.tables import event_log
from tests.infrastructure.accounts import AccountOpened


async def logged_types(database) -> list[str]:
    async with database.read.connect() as connection:
        return list((await connection.execute(select(event_log.c.event_type))).scalars())


async def test_published_events_are_committed_with_the_open_unit_of_work(database):
    publisher = UnitOfWorkEventPublisher()
    unit_of_work = await SqlAlchemyUnitOfWorkFactory(database.write).begin()
    await publisher.publish(AccountOpened(aggregate_id="a1", owner="Ada"))
    assert await logged_types(database) == []

    await unit_of_work.commit()
    assert await logged_types(database) == ["AccountOpened"]


async def test_published_events_of_a_rolled_back_unit_of_work_are_never_logged(database):
    publisher = UnitOfWorkEventPublisher()
    unit_of_work = await SqlAlchemyUnitOfWorkFactory(database.write).begin()
    await publisher.publish(AccountOpened(aggregate_id="a1", owner="Ada"))
    await unit_of_work.rollback()

    assert await logged_types(database) == []


async def test_publishing_outside_a_unit_of_work_is_an_error():
    with pytest.raises(NoActiveUnitOfWorkError):
        await UnitOfWorkEventPublisher().publish(AccountOpened(aggregate_id="a1", owner="Ada"))
