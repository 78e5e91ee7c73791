"""The image's scripts, run for real outside a container: docker/entrypoint.sh dispatches its
commands (with uvicorn, alembic and python replaced by stubs that echo their arguments), and
docker/healthcheck.py tells healthy from unhealthy for the API and the worker."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.deploy_support import render_cache, run_tool, tool


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_cache(tmp_path_factory)()


def test_entrypoint_passes_shellcheck(project: Path) -> None:
    result = run_tool(tool("shellcheck"), "docker/entrypoint.sh", cwd=project)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def entrypoint(project: Path, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name in ["uvicorn", "alembic", "python"]:
        stub = stubs / name
        stub.write_text(f'#!/bin/sh\necho {name} "$@"\n')
        stub.chmod(0o755)

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {"PATH": f"{stubs}:/usr/bin:/bin", **env}
        return run_tool("/bin/sh", str(project / "docker" / "entrypoint.sh"), *args,
                        cwd=tmp_path, env=environment)

    return run


def test_entrypoint_serves_by_default_with_port_and_concurrency_from_the_environment(
    entrypoint,
) -> None:
    serve = ["uvicorn", "--factory", "app.main:create_app"]

    assert entrypoint().stdout.split() == [
        *serve, "--host", "0.0.0.0", "--port", "8000", "--workers", "1",
        "--timeout-keep-alive", "75",
    ]
    assert entrypoint(
        "serve", PORT="9000", WEB_CONCURRENCY="3", HOST="127.0.0.1", KEEP_ALIVE_TIMEOUT_SECONDS="90"
    ).stdout.split() == [
        *serve, "--host", "127.0.0.1", "--port", "9000", "--workers", "3",
        "--timeout-keep-alive", "90",
    ]


def test_entrypoint_migrates_to_head_or_to_the_revision_given(entrypoint) -> None:
    assert entrypoint("migrate").stdout.split() == ["alembic", "upgrade", "head"]
    assert entrypoint("migrate", "0001").stdout.split() == ["alembic", "upgrade", "0001"]

    refused = entrypoint("migrate", "0001", "extra")
    assert refused.returncode == 2
    assert "usage: migrate [REVISION]" in refused.stderr
    assert refused.stdout == ""


def test_entrypoint_runs_the_worker_with_its_arguments_and_anything_else_as_given(
    entrypoint,
) -> None:
    assert entrypoint("worker", "--batch-size", "5").stdout.split() == (
        ["python", "-m", "app.worker", "--batch-size", "5"]
    )
    assert entrypoint("echo", "as", "given").stdout.strip() == "as given"


class HealthHandler(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/health/live" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output clean


@pytest.fixture
def health_server() -> Iterator[tuple[int, type[HealthHandler]]]:
    handler = type("Health", (HealthHandler,), {"status": 200})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1]), handler
    finally:
        server.shutdown()
        server.server_close()


def probe(project: Path, mode: str, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {
        key: value for key, value in os.environ.items() if key != "PORT" and not key.startswith("WORKER_")
    }
    return run_tool(sys.executable, "docker/healthcheck.py", mode, cwd=project,
                    env={**inherited, **env})


def unused_port() -> int:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        return int(placeholder.getsockname()[1])


def test_api_probe_is_healthy_only_while_health_live_answers_2xx(project: Path, health_server) -> None:
    port, handler = health_server

    assert probe(project, "api", PORT=str(port)).returncode == 0
    handler.status = 503
    unhealthy = probe(project, "api", PORT=str(port))
    assert unhealthy.returncode == 1
    assert "503" in unhealthy.stderr


def test_api_probe_is_unhealthy_when_nothing_listens(project: Path) -> None:
    nothing = probe(project, "api", PORT=str(unused_port()))

    assert nothing.returncode == 1
    assert "unhealthy" in nothing.stderr


def test_worker_probe_wants_a_recent_heartbeat(project: Path, tmp_path: Path) -> None:
    heartbeat = tmp_path / "heartbeat"

    assert probe(project, "worker").returncode == 1
    assert probe(project, "worker", WORKER_HEARTBEAT_FILE=str(heartbeat)).returncode == 1
    heartbeat.touch()
    assert probe(project, "worker", WORKER_HEARTBEAT_FILE=str(heartbeat)).returncode == 0
    stale = time.time() - 120
    os.utime(heartbeat, (stale, stale))
    late = probe(project, "worker", WORKER_HEARTBEAT_FILE=str(heartbeat))
    assert late.returncode == 1
    assert "last heartbeat" in late.stderr


def test_probe_refuses_an_unknown_mode_with_its_usage(project: Path) -> None:
    refused = probe(project, "database")

    assert refused.returncode == 1
    assert "usage: healthcheck.py (api | worker)" in refused.stderr
