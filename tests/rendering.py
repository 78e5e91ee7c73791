"""Render the template and drive the rendered project's own tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cookiecutter.main import cookiecutter

from tests.combinations import TEMPLATE_DIR

LEFTOVER_JINJA = re.compile(r"\{\{|\{%|\{#")
# Files whose own syntax uses double braces (none yet); listed so the check stays strict.
JINJA_LIKE_FILES: frozenset[str] = frozenset()


def render(output_dir: Path, context: dict[str, str]) -> Path:
    extra = {key: value for key, value in context.items() if key != "project_slug"}
    if "project_slug" in context:
        extra["project_slug"] = context["project_slug"]
    project = cookiecutter(
        str(TEMPLATE_DIR), no_input=True, extra_context=extra, output_dir=str(output_dir)
    )
    return Path(project)


def render_cli(output_dir: Path, context: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Render as a user does, through the command line, for its exit code and messages."""
    args = [f"{key}={value}" for key, value in context.items()]
    return subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(output_dir),
         str(TEMPLATE_DIR), *args],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False, timeout=120,
    )


def leftover_jinja(project: Path) -> list[str]:
    found = []
    for path in project.rglob("*"):
        if not path.is_file() or ".venv" in path.parts or path.name in JINJA_LIKE_FILES:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if LEFTOVER_JINJA.search(line):
                found.append(f"{path.relative_to(project)}:{number}: {line.strip()}")
    return found


# Set by the template's own `make test`: a rendered project's make must not inherit them (they
# would, among other things, make it print "Entering directory" lines).
OUTER_MAKE_VARIABLES = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")


def outside_make(environ: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in environ.items() if key not in OUTER_MAKE_VARIABLES}


def uv() -> str:
    beside_python = Path(sys.executable).with_name("uv")
    found = os.environ.get("UV") or (str(beside_python) if beside_python.exists() else None)
    found = found or shutil.which("uv")
    if not found:
        raise RuntimeError("uv is not installed: run the template tests through `make test`")
    return found


@dataclass
class RenderedProject:
    path: Path
    timings: dict[str, float] = field(default_factory=dict)

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {
            key: value
            for key, value in outside_make(dict(os.environ)).items()
            if not key.startswith(("VIRTUAL_ENV", "PYTEST_", "COV_"))
        }
        env.update(UV_PYTHON_DOWNLOADS="never", UV_PYTHON=sys.executable, PYTHONDONTWRITEBYTECODE="1")
        env.update(extra or {})
        return env

    def run(self, step: str, *command: str, timeout: float = 900,
            extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        completed = subprocess.run(
            list(command), cwd=self.path, env=self.env(extra_env), capture_output=True,
            text=True, stdin=subprocess.DEVNULL, check=False, timeout=timeout,
        )
        self.timings[step] = time.monotonic() - started
        if completed.returncode != 0:
            raise AssertionError(
                f"`{' '.join(command)}` failed in {self.path.name} (exit {completed.returncode})\n"
                f"--- stdout ---\n{completed.stdout[-8000:]}\n--- stderr ---\n{completed.stderr[-8000:]}"
            )
        return completed

    def uv_run(self, step: str, *command: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return self.run(step, uv(), "run", "--no-sync", *command, **kwargs)  # type: ignore[arg-type]

    def sync(self) -> None:
        self.run("install", uv(), "sync", "--quiet")
