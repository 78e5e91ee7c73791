"""The default render's container image, built and run for real, on Python 3.11 and 3.13.

From a fresh render (no uv.lock yet) the image builds; `migrate`, run in its own container,
applies the migrations to a fresh PostgreSQL database; the service then starts in production
mode on the host network against that database and the Redis on 127.0.0.1, its HEALTHCHECK
reports healthy, it answers over a socket, runs as non-root, and stays within the size budget.
Every container, image and database made here is removed afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.combinations import context_for
from tests.containers import (
    ContainerEngine,
    built_image,
    detect_engine,
    env_args,
    running_container,
    unavailable,
    wait_until_healthy,
)
from tests.rendering import render

pytestmark = pytest.mark.container

PYTHON_VERSIONS = ["3.11", "3.13"]
IMAGE_SIZE_BUDGET_BYTES = 300_000_000  # 300 MB, counted as the engines count (SI)
HEALTHY_WITHIN_SECONDS = 90
MIGRATE_WITHIN_SECONDS = 180
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = secrets.token_urlsafe(16)

@pytest.fixture(scope="module")
def engine() -> ContainerEngine:
    found = detect_engine()
    if found is None:
        tried = os.environ.get("CONTAINER_ENGINE") or "docker, podman"
        unavailable(f"no container engine answers `info` (tried: {tried}): image tests need one")
    assert found is not None
    return found


def server_url(variable: str, server: str) -> str:
    url = os.environ.get(variable)
    if not url:
        unavailable(f"{variable} is not set: the image test runs against a real {server}")
    assert url
    return url


@pytest.fixture
def redis_url() -> str:
    return server_url("TEST_REDIS_URL", "Redis")


@pytest.fixture
def database_url() -> Iterator[str]:
    """A fresh database on the TEST_DATABASE_URL server, as the app's asyncpg URL; dropped after."""
    server = urllib.parse.urlsplit(server_url("TEST_DATABASE_URL", "PostgreSQL"))
    admin_url = server._replace(scheme="postgresql").geturl()
    name = f"image_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server._replace(scheme="postgresql+asyncpg", path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def applied_revisions(database_url: str) -> list[str]:
    url = urllib.parse.urlsplit(database_url)._replace(scheme="postgresql").geturl()
    with psycopg.connect(url) as connection:
        found = connection.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
        if not found or not found[0]:
            return []
        return [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request_json(method: str, url: str, *, body: dict[str, Any] | None = None,
                 form: dict[str, str] | None = None, token: str | None = None) -> tuple[int, Any]:
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@dataclass(frozen=True)
class ServedImage:
    image: str
    container: str
    base_url: str


@contextmanager
def served_default_image(engine: ContainerEngine, python_version: str, workdir: Path,
                         database_url: str, redis_url: str,
                         timings: dict[str, float]) -> Iterator[ServedImage]:
    """Render, build, `migrate` in a one-shot container, then serve until healthy."""
    project = render(workdir, context_for({"python_version": python_version}))
    port = free_port()
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "FIRST_SUPERUSER_EMAIL": ADMIN_EMAIL,
        "FIRST_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
        "HOST": "127.0.0.1",  # host networking: listen on loopback only
        "PORT": str(port),
    }
    started = time.monotonic()
    with built_image(engine, project, f"py{python_version}") as image:
        timings["build"] = time.monotonic() - started
        print(f"\nimage for Python {python_version} built in {timings['build']:.1f} s")

        started = time.monotonic()
        engine("run", "--rm", "--network", "host", *env_args(env), image, "migrate",
               timeout=MIGRATE_WITHIN_SECONDS)
        timings["migrate"] = time.monotonic() - started

        with running_container(engine, image, env) as container:
            started = time.monotonic()
            wait_until_healthy(engine, container, HEALTHY_WITHIN_SECONDS)
            timings["healthy"] = time.monotonic() - started
            yield ServedImage(image, container, f"http://127.0.0.1:{port}")


@pytest.mark.parametrize("python_version", PYTHON_VERSIONS, ids=lambda v: f"image-py{v}")
def test_default_image_migrates_then_serves_healthy_as_non_root_within_budget(
    engine: ContainerEngine, python_version: str, tmp_path: Path, database_url: str,
    redis_url: str, record_property: pytest.RecordProperty,
) -> None:
    timings: dict[str, float] = {}
    try:
        with served_default_image(
            engine, python_version, tmp_path, database_url, redis_url, timings
        ) as served:
            assert len(applied_revisions(database_url)) == 1, "migrate left no alembic revision"

            assert request_json("GET", f"{served.base_url}/health/live") == (200, {"status": "ok"})

            configured_user = engine.image_user(served.image).split(":")[0]
            assert configured_user.isdigit(), f"USER must be numeric, is {configured_user!r}"
            assert configured_user != "0"
            assert engine("exec", served.container, "id", "-u").stdout.strip() == configured_user

            shipped = set(engine("exec", served.container, "ls", "-A", "/app").stdout.split())
            assert {"app", "migrations", "alembic.ini", "uv.lock"} <= shipped
            assert not shipped & {".env", ".venv", "tests", "docs"}, "the build context leaked"

            size = engine.image_size_bytes(served.image)
            record_property("image_size_mb", round(size / 1e6, 1))
            print(f"image for Python {python_version}: {size / 1e6:.1f} MB")
            assert size < IMAGE_SIZE_BUDGET_BYTES, f"image is {size / 1e6:.1f} MB, budget 300 MB"
    finally:
        record_property("timings", timings)


@pytest.mark.parametrize("python_version", PYTHON_VERSIONS, ids=lambda v: f"image-py{v}")
def test_default_image_creates_and_reads_a_user(
    engine: ContainerEngine, python_version: str, tmp_path: Path, database_url: str,
    redis_url: str,
) -> None:
    with served_default_image(engine, python_version, tmp_path, database_url, redis_url, {}) as served:
        status, token = request_json(
            "POST", f"{served.base_url}/api/v1/auth/token",
            form={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        )
        assert status == 200, token
        bearer = token["access_token"]
        email = f"{uuid.uuid4().hex[:8]}@example.com"

        status, created = request_json(
            "POST", f"{served.base_url}/api/v1/users",
            body={
                "email": email,
                "username": "image-test",
                "password": secrets.token_urlsafe(16),
                "full_name": "Image Test",
            },
            token=bearer,
        )
        assert status == 201, created

        status, user = request_json(
            "GET", f"{served.base_url}/api/v1/users/{created['id']}", token=bearer
        )
        assert status == 200, user
        assert user["email"] == email
