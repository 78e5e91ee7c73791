"""What the deployment-file tests share: renders made once per module, and the linters that
tests/requirements.txt installs as binaries beside the test venv's Python."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.combinations import context_for
from tests.rendering import outside_make, render

TOOLS = Path(sys.executable).parent


def render_cache(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """`render_once(**options)`: that combination (options over the default), rendered once."""
    projects: dict[tuple[tuple[str, str], ...], Path] = {}

    def render_once(**options: str) -> Path:
        key = tuple(sorted(options.items()))
        if key not in projects:
            projects[key] = render(tmp_path_factory.mktemp("deploy"), context_for(options))
        return projects[key]

    return render_once


def tool(name: str) -> str:
    found = TOOLS / name
    if not found.exists():
        pytest.fail(f"{name} is missing beside {sys.executable}: install tests/requirements.txt")
    return str(found)


def run_tool(*command: str, cwd: Path,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(command), cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL,
        check=False, timeout=120, env=env if env is not None else outside_make(dict(os.environ)),
    )
