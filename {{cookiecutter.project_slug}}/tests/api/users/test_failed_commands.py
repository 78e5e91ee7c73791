"""A command that fails half-way leaves nothing behind, and its caller sees no internals."""

from __future__ import annotations

import httpx
import pytest
from dependency_injector import providers
from sqlalchemy import func, select

from app.container import Container
from app.core.cqrs.events import DomainEvent
from app.infrastructure.events.publisher import UnitOfWorkEventPublisher
from app.infrastructure.events.tables import event_log
from app.infrastructure.users.tables import users
from tests.api.users.actors import USERS, Actor, new_user


class PublisherThatBreaks:
    """Once armed, fails after the handler has written the user, before the commit."""

    def __init__(self) -> None:
        self.inner = UnitOfWorkEventPublisher()
        self.armed = False

    async def publish(self, *events: DomainEvent) -> None:
        if self.armed:
            raise RuntimeError("event bus exploded at db.internal:5432 with password=hunter2")
        await self.inner.publish(*events)


@pytest.fixture
def publisher() -> PublisherThatBreaks:
    return PublisherThatBreaks()


@pytest.fixture
def container(container: Container, publisher: PublisherThatBreaks) -> Container:
    container.event_publisher.override(providers.Object(publisher))
    return container


async def row_counts(container: Container) -> tuple[int, int]:
    async with container.read_engine().connect() as connection:
        user_rows = (await connection.execute(select(func.count()).select_from(users))).scalar()
        events = (await connection.execute(select(func.count()).select_from(event_log))).scalar()
    return int(user_rows or 0), int(events or 0)


async def test_a_command_failing_after_its_write_rolls_everything_back(
    client: httpx.AsyncClient, admin: Actor, container: Container, publisher: PublisherThatBreaks
) -> None:
    before = await row_counts(container)
    publisher.armed = True

    response = await client.post(USERS, json=new_user("ada@example.com"), headers=admin.headers)

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "hunter2" not in response.text
    assert "db.internal" not in response.text
    assert await row_counts(container) == before
    listed = await client.get(USERS, params={"email_contains": "ada"}, headers=admin.headers)
    assert listed.json()["items"] == []
