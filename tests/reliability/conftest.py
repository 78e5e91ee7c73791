"""The default combination, rendered and installed once per session, and the servers it needs.

Tests that need PostgreSQL take TEST_DATABASE_URL (skipped when unset, failed when
REQUIRE_TEST_SERVICES=1, as the rendered project's own tests do) and create their own database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.combinations import DEFAULTS
from tests.reliability.served import ServedApp, create_database, drop_database, unique_name
from tests.rendering import RenderedProject, render

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.reliability)


def service_url(variable: str) -> str:
    url = os.environ.get(variable)
    if url:
        return url
    reason = f"{variable} is not set"
    if os.environ.get("REQUIRE_TEST_SERVICES") == "1":
        pytest.fail(f"{reason}, and REQUIRE_TEST_SERVICES=1")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> RenderedProject:
    rendered = RenderedProject(render(tmp_path_factory.mktemp("reliability"), DEFAULTS))
    rendered.sync()
    return rendered


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    return service_url("TEST_DATABASE_URL")


@pytest.fixture
def database_url(postgres_server_url: str) -> Iterator[str]:
    url = create_database(postgres_server_url, unique_name("reliability"))
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture(scope="module")
def served(project: RenderedProject, postgres_server_url: str) -> Iterator[ServedApp]:
    """The app with its defaults (in-process cache) on a fresh PostgreSQL database."""
    url = create_database(postgres_server_url, unique_name("reliability"))
    app = ServedApp(project, url)
    try:
        app.migrate()
        app.start()
        yield app
    finally:
        app.stop()
        drop_database(url)
