"""The container: lazy, overridable, features installed in order, started and stopped whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from dependency_injector import providers
from sqlalchemy import func, select, update

from app.container import Container, build_container, in_installation_order, running
from app.core.cqrs import (
    BaseCommandHandler,
    CQRSConfigurationError,
    HandlerRegistry,
    ICommand,
    get_cqrs_bus,
)
from app.infrastructure.events.publisher import UnitOfWorkEventPublisher
from app.infrastructure.idempotency.tables import idempotency_keys
from app.settings import Settings
from tests.support.database import settings_for


class Ping(ICommand[str]):
    pass


class NeedsAMailer(BaseCommandHandler[Ping, str]):
    def __init__(self, mailer: object) -> None:
        self.mailer = mailer

    async def _handle(self, command: Ping) -> str:
        return "pong"


def feature(*requires: str) -> Any:
    return SimpleNamespace(requires=requires, install=lambda container: None)


def test_building_the_container_builds_nothing_yet(tmp_path: Path) -> None:
    database = tmp_path / "not-yet" / "app.db"
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{database}")

    container = build_container(settings)

    assert not database.parent.exists()
    assert container.settings() is settings


def test_each_container_has_its_own_providers(tmp_path: Path) -> None:
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")
    first, second = build_container(settings), build_container(settings)

    first.event_publisher.override(providers.Object(UnitOfWorkEventPublisher()))

    assert first.event_publisher() is not second.event_publisher()
    assert second.event_publisher() is second.event_publisher()


def test_features_are_installed_after_the_ones_they_require() -> None:
    users, auth, audit = feature(), feature("users"), feature()

    ordered = in_installation_order({"auth": auth, "audit": audit, "users": users})

    assert ordered == [audit, users, auth]


def test_a_feature_requiring_an_absent_one_is_an_error() -> None:
    with pytest.raises(CQRSConfigurationError, match="'auth' requires 'users'"):
        in_installation_order({"auth": feature("users")})


def test_features_requiring_each_other_are_an_error() -> None:
    with pytest.raises(CQRSConfigurationError, match="a -> b -> a"):
        in_installation_order({"a": feature("b"), "b": feature("a")})


@pytest.fixture
def container(settings: Settings) -> Container:
    return build_container(settings)


async def test_running_serves_the_bus_and_stops_everything_after(container: Container) -> None:
    ran: list[str] = []

    async def startup_task() -> None:
        ran.append("started")

    container.startup_tasks.add_args(providers.Object(startup_task))

    async with running(container) as bus:
        assert get_cqrs_bus() is bus
        assert container.projection_runner().running
        assert ran == ["started"]

    assert get_cqrs_bus() is not bus
    assert not container.projection_runner().running


async def test_a_handler_needing_a_missing_provider_fails_start_up(container: Container) -> None:
    registry = HandlerRegistry()
    registry.register_command_handler(Ping, NeedsAMailer)
    container.handler_registry.override(providers.Object(registry))

    with pytest.raises(CQRSConfigurationError, match="NeedsAMailer needs 'mailer'"):
        async with running(container):
            pass


async def test_starting_forgets_expired_idempotency_keys(container: Container) -> None:
    store = container.idempotency_store()
    await store.reserve("scope", "old-key", "fingerprint")
    async with container.write_engine().begin() as connection:
        await connection.execute(
            update(idempotency_keys).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )

    async with running(container), container.read_engine().connect() as connection:
        remaining = await connection.execute(select(func.count()).select_from(idempotency_keys))

    assert remaining.scalar() == 0
