"""Templates (`string.Template`) of the generated tests: the handler on a bus of its own,
the route through the real application.

The route tests hold in both kinds of project: with authentication an anonymous caller is
refused, without it the route answers; the other kind's tests skip, saying why.
"""

from __future__ import annotations

from string import Template

TESTS_PACKAGE = Template('''\
"""Tests of $what."""
''')

COMMAND_HANDLER_TEST = Template('''\
"""$name on a bus of its own, on the real database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import pytest

from app.core.cqrs import CQRSBus, DomainEvent, HandlerRegistry, OperationStatus
from app.handlers.$feature.$snake import (
    $name,
    $handler,
)
from app.infrastructure.db.engines import create_write_engine
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.settings import Settings


class CommitCounter:
    def __init__(self) -> None:
        self.commits = 0

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        self.commits += 1


@pytest.fixture
def counter() -> CommitCounter:
    return CommitCounter()


@pytest.fixture
async def bus(settings: Settings, counter: CommitCounter) -> AsyncIterator[CQRSBus]:
    engine = create_write_engine(settings)
    registry = HandlerRegistry()
    registry.register_command_handler(
        $name,
        $handler,
    )
    units = SqlAlchemyUnitOfWorkFactory(engine, after_commit=[counter])
    try:
        yield CQRSBus(registry=registry, unit_of_work_factory=units)
    finally:
        await engine.dispose()


async def test_it_succeeds_in_one_committed_transaction(
    bus: CQRSBus, counter: CommitCounter
) -> None:
    result = await bus.execute_command($name(id="42"))

    assert result.status is OperationStatus.SUCCESS
    assert result.data == "42"
    assert counter.commits == 1


async def test_a_blank_id_is_refused_before_any_transaction(
    bus: CQRSBus, counter: CommitCounter
) -> None:
    result = await bus.execute_command($name(id=" "))

    assert result.status is OperationStatus.VALIDATION_ERROR
    assert set(result.errors) == {"id"}
    assert counter.commits == 0
''')

QUERY_HANDLER_TEST = Template('''\
"""$name on a bus of its own, with the in-process cache."""

from __future__ import annotations

import pytest

from app.core.cqrs import CQRSBus, HandlerRegistry, MemoryQueryCache, OperationStatus
from app.handlers.$feature.$snake import (
    $name,
    $handler,
)


@pytest.fixture
def bus() -> CQRSBus:
    registry = HandlerRegistry()
    registry.register_query_handler(
        $name,
        $handler,
    )
    return CQRSBus(registry=registry, query_cache=MemoryQueryCache(max_entries=100))


async def test_it_answers(bus: CQRSBus) -> None:
    result = await bus.execute_query($name())

    assert result.status is OperationStatus.SUCCESS
    assert result.data == ()


async def test_a_repeated_query_is_answered_from_the_cache(bus: CQRSBus) -> None:
    first = await bus.execute_query($name())
    second = await bus.execute_query($name())

    assert first.cache_info is not None
    assert second.cache_info is not None
    assert (first.cache_info["hit"], second.cache_info["hit"]) == (False, True)
''')

_AUTH_MARKS = """\
has_authentication = authentication_dependency() is not None
without_authentication = pytest.mark.skipif(
    has_authentication, reason="this project authenticates every route"
)
with_authentication = pytest.mark.skipif(
    not has_authentication, reason="this project has no authentication"
)
"""

COMMAND_ROUTE_TEST = Template(
    '''\
"""The $name route, through the real application."""

from __future__ import annotations

import httpx
import pytest

from app.api.operations import authentication_dependency
from app.api.scaffolded.$snake import PATH

'''
    + _AUTH_MARKS
    + """

@without_authentication
async def test_it_answers_with_the_result(client: httpx.AsyncClient) -> None:
    response = await client.post(PATH, json={"id": "42"})

    assert response.status_code == 200
    assert response.json() == {"id": "42"}


@without_authentication
async def test_a_blank_id_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(PATH, json={"id": " "})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


@with_authentication
async def test_an_anonymous_caller_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(PATH, json={"id": "42"})

    assert response.status_code == 401
"""
)

QUERY_ROUTE_TEST = Template(
    '''\
"""The $name route, through the real application."""

from __future__ import annotations

import httpx
import pytest

from app.api.operations import authentication_dependency
from app.api.scaffolded.$snake import PATH

'''
    + _AUTH_MARKS
    + """

@without_authentication
async def test_it_answers_with_the_items(client: httpx.AsyncClient) -> None:
    response = await client.get(PATH)

    assert response.status_code == 200
    assert response.json() == {"items": []}


@with_authentication
async def test_an_anonymous_caller_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get(PATH)

    assert response.status_code == 401
"""
)
