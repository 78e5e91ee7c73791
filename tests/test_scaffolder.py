"""`make new-command` and `make new-query` in every supported example_domain/auth pair: the
scaffolded files lint, type-check and pass their tests, and a refused name changes nothing."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from tests.combinations import combination_id, context_for
from tests.rendering import RenderedProject, render, uv

pytestmark = pytest.mark.matrix

COMBINATIONS = [
    {"auth": "jwt", "example_domain": "users"},
    {"auth": "none", "example_domain": "users"},
    {"auth": "none", "example_domain": "none"},
]
GENERATED_TESTS = (
    "tests/handlers/general",
    "tests/api/scaffolded",
    "tests/scaffold",
    "tests/handlers/test_import_handler_modules.py",
    "tests/api/test_openapi.py",
)
IGNORED_PARTS = {".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__", "data"}


def tree(root: Path) -> dict[str, str]:
    """Every file of the project (not its tools' caches) with a digest of its content."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not IGNORED_PARTS.intersection(path.relative_to(root).parts)
    }


def make(project: RenderedProject, step: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return project.run(step, "make", f"UV={uv()}", *arguments, extra_env={"UV_NO_SYNC": "1"})


def refused(project: RenderedProject, *arguments: str) -> str:
    completed = subprocess.run(
        ["make", f"UV={uv()}", *arguments], cwd=project.path,
        env=project.env({"UV_NO_SYNC": "1"}), capture_output=True, text=True,
        stdin=subprocess.DEVNULL, check=False, timeout=300,
    )
    assert completed.returncode != 0, completed.stdout
    return completed.stderr


@pytest.mark.parametrize("combination", COMBINATIONS, ids=combination_id)
def test_scaffolded_command_and_query_are_clean_typed_and_pass_their_tests(
    combination: dict[str, str],
    tmp_path: Path,
    mypy_cache_dir: Path,
    record_property: pytest.RecordProperty,
) -> None:
    project = RenderedProject(render(tmp_path, context_for(combination)))
    try:
        project.sync()
        make(project, "new-command", "new-command", "NAME=ArchiveUser")
        make(project, "new-query", "new-query", "NAME=GetArchivedUsers")
        assert (project.path / "app/handlers/general/archive_user.py").is_file()
        assert (project.path / "app/api/scaffolded/get_archived_users.py").is_file()

        project.uv_run("ruff", "ruff", "check", ".")
        project.uv_run("format", "ruff", "format", "--check", ".")
        project.uv_run("mypy", "mypy", extra_env={"MYPY_CACHE_DIR": str(mypy_cache_dir)})
        project.uv_run("imports", "lint-imports")
        tests = project.uv_run("pytest", "pytest", "-q", "-p", "no:cacheprovider", *GENERATED_TESTS)
        assert " passed" in tests.stdout

        before = tree(project.path)
        again = refused(project, "new-command", "NAME=ArchiveUser")
        invalid = refused(project, "new-command", "NAME=not-valid")
        assert "error: 'ArchiveUser' is taken" in again
        assert "error: 'not-valid' is not a CamelCase name" in invalid
        assert tree(project.path) == before
    finally:
        record_property("timings", project.timings)
