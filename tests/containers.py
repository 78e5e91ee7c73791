"""A container engine (docker or podman) driven by the template's image tests.

Which engine: `CONTAINER_ENGINE` if set, else `docker`, else `podman`, whichever answers
`info` (a docker client without a daemon does not count). Without one, image tests skip with
the reason locally and fail in CI (`CI=true` or `REQUIRE_TEST_SERVICES=1`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

BUILD_TIMEOUT_SECONDS = 900
COMMAND_TIMEOUT_SECONDS = 180


def engine_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("REQUIRE_TEST_SERVICES") == "1"


def unavailable(reason: str) -> None:
    if engine_required():
        pytest.fail(f"{reason} (required here: CI=true or REQUIRE_TEST_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


class ContainerCommandError(AssertionError):
    pass


@dataclass(frozen=True)
class ContainerEngine:
    command: str

    @property
    def is_podman(self) -> bool:
        return "podman" in Path(self.command).name

    def __call__(self, *args: str, timeout: float = COMMAND_TIMEOUT_SECONDS,
                 check: bool = True) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            [self.command, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL,
            check=False, timeout=timeout,
        )
        if check and completed.returncode != 0:
            raise ContainerCommandError(
                f"`{self.command} {' '.join(args)}` failed (exit {completed.returncode})\n"
                f"--- stdout ---\n{completed.stdout[-6000:]}\n--- stderr ---\n{completed.stderr[-6000:]}"
            )
        return completed

    def build(self, context: Path, tag: str) -> None:
        # --pull=never: the base must already be local (this machine reaches no registry).
        # podman: docker format keeps HEALTHCHECK; no intermediate layers left behind.
        extra = ["--pull=never", "--format", "docker", "--layers=false"] if self.is_podman else []
        self("build", *extra, "--tag", tag, str(context), timeout=BUILD_TIMEOUT_SECONDS)

    def image_size_bytes(self, image: str) -> int:
        return int(self("image", "inspect", "--format", "{{.Size}}", image).stdout.strip())

    def image_user(self, image: str) -> str:
        return self("image", "inspect", "--format", "{{.Config.User}}", image).stdout.strip()

    def remove_image(self, image: str) -> None:
        self("rmi", "--force", image, check=False)

    def health_status(self, container: str) -> str:
        if self.is_podman:
            # podman schedules health checks with systemd timers, absent here: run one now.
            self("healthcheck", "run", container, check=False)
        state = json.loads(self("inspect", "--format", "{{json .State}}", container).stdout)
        if not state.get("Running", False):
            return "exited"
        health = state.get("Health") or state.get("Healthcheck") or {}
        return str(health.get("Status", "none"))

    def logs(self, container: str) -> str:
        completed = self("logs", container, check=False)
        return (completed.stdout + completed.stderr)[-6000:]

    def remove_container(self, container: str) -> None:
        self("rm", "--force", container, check=False)


def detect_engine() -> ContainerEngine | None:
    named = os.environ.get("CONTAINER_ENGINE")
    for candidate in [named] if named else ["docker", "podman"]:
        found = shutil.which(candidate)
        if not found:
            continue
        answered = subprocess.run(
            [found, "info"], capture_output=True, stdin=subprocess.DEVNULL, check=False, timeout=60
        )
        if answered.returncode == 0:
            return ContainerEngine(found)
    return None


def env_args(env: Mapping[str, str]) -> list[str]:
    return [arg for key, value in env.items() for arg in ("--env", f"{key}={value}")]


@contextmanager
def built_image(engine: ContainerEngine, context: Path, name: str) -> Iterator[str]:
    tag = f"localhost/template-test-{name}:{uuid.uuid4().hex[:10]}"
    try:
        engine.build(context, tag)
        yield tag
    finally:
        engine.remove_image(tag)


@contextmanager
def running_container(engine: ContainerEngine, image: str, env: Mapping[str, str]) -> Iterator[str]:
    """A detached container on the host network (it reaches the test servers on 127.0.0.1)."""
    name = f"template-test-{uuid.uuid4().hex[:10]}"
    try:
        engine("run", "--detach", "--name", name, "--network", "host", *env_args(env), image)
        yield name
    finally:
        engine.remove_container(name)


def wait_until_healthy(engine: ContainerEngine, container: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    status = "none"
    while time.monotonic() < deadline:
        status = engine.health_status(container)
        if status == "healthy":
            return
        if status == "exited":
            break
        time.sleep(1.0)  # "starting" or a failed probe while the app starts: keep asking
    raise AssertionError(
        f"container {container} is {status!r}, not healthy, after its start\n"
        f"--- logs ---\n{engine.logs(container)}"
    )
