from __future__ import annotations

import pytest

from app.core.cqrs import NoActiveUnitOfWorkError, current_unit_of_work, require_unit_of_work
from app.core.cqrs.context import bind_unit_of_work, unbind_unit_of_work
from tests.core.cqrs.doubles import InMemoryStore


async def test_the_unit_of_work_is_current_only_while_bound(store: InMemoryStore) -> None:
    unit = await store.begin()
    assert current_unit_of_work() is None
    token = bind_unit_of_work(unit)
    assert current_unit_of_work() is unit
    assert require_unit_of_work() is unit
    unbind_unit_of_work(token)
    assert current_unit_of_work() is None


def test_requiring_a_unit_of_work_outside_a_transaction_is_a_usage_error() -> None:
    with pytest.raises(NoActiveUnitOfWorkError, match="@transactional"):
        require_unit_of_work()
