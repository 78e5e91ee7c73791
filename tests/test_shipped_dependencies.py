"""The service ships only what it runs.

Every package `uv export --no-dev` names as a direct dependency of the rendered project is
imported somewhere under app/, or is on the short list below of packages the service needs
without importing them. Needs only the lock resolution (`uv export` locks), not an install.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.combinations import Combination, combination_id, context_for
from tests.rendering import RenderedProject, render, uv

COMBINATIONS: list[Combination] = [
    {},
    {"opentelemetry": "yes"},
    {"auth": "none", "example_domain": "none", "cache": "memory"},
]

# Needed at run time though app/ never imports them.
NOT_IMPORTED_BUT_RUN = {
    # SQLAlchemy loads the driver its URL names: sqlite+aiosqlite (the default), postgresql+asyncpg.
    "aiosqlite",
    "asyncpg",
    # `make migrate` and the image's `migrate` command run it; migrations/ imports it.
    "alembic",
    # The server the Makefile and the image start, and the two of its extras it uses by itself
    # when installed (--loop auto, --http auto).
    "uvicorn",
    "uvloop",
    "httptools",
    # FastAPI reads the login form (OAuth2PasswordRequestForm) with it.
    "python-multipart",
}
# uvicorn[standard]'s extras for reloading, websockets and YAML log configs: nothing uses them.
UNUSED_SERVER_EXTRAS = {"watchfiles", "websockets", "pyyaml"}
# Distributions imported under another name than their own.
IMPORT_NAMES = {"argon2-cffi": "argon2", "pyjwt": "jwt"}

REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==")


def exported_parents(export: str) -> dict[str, set[str]]:
    """Each exported package and what its `# via` notes name. A direct dependency names the
    project, or nothing at all: a dependency group's own members are exported without a note."""
    parents: dict[str, set[str]] = {}
    current: str | None = None
    for line in export.splitlines():
        if match := REQUIREMENT.match(line):
            current = match.group(1).lower()
            parents[current] = set()
        elif current and line.startswith(" ") and line.strip().startswith("#"):
            note = line.strip().lstrip("#").strip()
            note = note.removeprefix("via").strip()
            if note:
                parents[current].add(note)
    return parents


def imported_modules(package: Path) -> set[str]:
    modules: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module)
    return modules


def is_imported(distribution: str, modules: set[str]) -> bool:
    # `prometheus-client` is imported as prometheus_client; the opentelemetry-* distributions
    # each provide one part of the `opentelemetry` namespace, `opentelemetry-sdk` opentelemetry.sdk.
    names = (
        {IMPORT_NAMES[distribution]}
        if distribution in IMPORT_NAMES
        else {distribution.replace("-", "_"), distribution.replace("-", ".")}
    )
    return any(module == name or module.startswith(f"{name}.") for module in modules for name in names)


@pytest.mark.parametrize("combination", COMBINATIONS, ids=combination_id)
def test_every_production_dependency_is_imported_by_the_app_or_run(
    combination: Combination, tmp_path: Path
) -> None:
    context = context_for(combination)
    project = RenderedProject(render(tmp_path, context))
    export = project.run(
        "export", uv(), "export", "--no-dev", "--no-hashes", "--quiet", timeout=300
    ).stdout

    parents = exported_parents(export)
    assert not parents.keys() & UNUSED_SERVER_EXTRAS, export

    direct = {name for name, via in parents.items() if not via or context["project_slug"] in via}
    assert {"fastapi", "sqlalchemy", "uvicorn"} <= direct, export  # the parsing found them

    modules = imported_modules(project.path / "app")
    unused = sorted(
        name for name in direct - NOT_IMPORTED_BUT_RUN if not is_imported(name, modules)
    )
    assert unused == [], f"shipped but imported nowhere under app/: {unused}\n{export}"
