"""The application factory: wiring only, until the lifespan starts it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from app.container import build_container
from app.main import create_app
from app.settings import Settings


def test_creating_the_app_connects_to_nothing(tmp_path: Path) -> None:
    database = tmp_path / "not-yet" / "app.db"
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{database}")

    app = create_app(settings)

    assert not database.parent.exists()
    assert app.state.settings is settings


def test_the_app_uses_the_container_it_is_given(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    container = build_container(settings)

    assert create_app(settings, container=container).state.container is container


def test_each_optional_router_the_project_has_is_served(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    paths = set(create_app(settings).openapi()["paths"])

    for module, path in (
        ("app.api.auth", "/api/v1/auth/token"),
        ("app.api.users", "/api/v1/users"),
    ):
        assert (path in paths) == (importlib.util.find_spec(module) is not None)
    assert {"/health/live", "/health/ready"} <= paths
