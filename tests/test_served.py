"""A fresh render serves over a real socket, started the way its README says (`make run`).

In-process tests can skip start-up by accident; this one cannot: it goes through the rendered
Makefile, migrations, uvicorn and the app's lifespan, and talks HTTP over TCP.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.combinations import DEFAULTS
from tests.rendering import RenderedProject, render, uv

pytestmark = pytest.mark.matrix


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_until_serving(url: str, server: subprocess.Popen[str], deadline_seconds: float) -> int:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"`make run` exited with {server.returncode} before serving")
        try:
            return get_json(url)[0]
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError(f"nothing answered {url} within {deadline_seconds} s")


def test_make_run_serves_health_over_a_socket(tmp_path: Path) -> None:
    project = RenderedProject(render(tmp_path, DEFAULTS))
    port = free_port()
    env = project.env({"UV": uv(), "PORT": str(port)})
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}", f"UV={uv()}"],
        cwd=project.path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        status = wait_until_serving(f"http://127.0.0.1:{port}/health/live", server, 240)
        assert status == 200
        assert get_json(f"http://127.0.0.1:{port}/health/live") == (200, {"status": "ok"})
        assert (project.path / "data").is_dir(), "make run should create the SQLite data dir"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            output, _ = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output, _ = server.communicate()
        print(output[-4000:])
