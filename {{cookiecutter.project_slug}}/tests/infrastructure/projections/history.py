"""Event histories the projection tests write through real units of work."""

from __future__ import annotations

from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.infrastructure.accounts import deposit, open_account


async def write_history(factory: SqlAlchemyUnitOfWorkFactory) -> int:
    """Two accounts and three deposits over three commits (positions 1..5); the last position."""
    unit_of_work = await factory.begin()
    await open_account(unit_of_work, "a1", "Ada")
    await open_account(unit_of_work, "a2", "Bob")
    await unit_of_work.commit()
    unit_of_work = await factory.begin()
    await deposit(unit_of_work, "a1", 10)
    await deposit(unit_of_work, "a2", 1)
    await unit_of_work.commit()
    return await deposit_committed(factory, "a1", 5)


async def deposit_committed(
    factory: SqlAlchemyUnitOfWorkFactory, account_id: str, amount: int
) -> int:
    unit_of_work = await factory.begin()
    await deposit(unit_of_work, account_id, amount)
    await unit_of_work.commit()
    assert unit_of_work.last_event_position is not None
    return unit_of_work.last_event_position
