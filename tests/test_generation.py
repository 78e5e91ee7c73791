"""Every supported combination renders a project that lints, type-checks and passes its tests."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.matrix

from tests.combinations import SUPPORTED_COMBINATIONS, combination_id, context_for
from tests.rendering import RenderedProject, leftover_jinja, render


@pytest.mark.parametrize("combination", SUPPORTED_COMBINATIONS, ids=combination_id)
def test_combination_renders_a_clean_typed_passing_project(
    combination: dict[str, str],
    tmp_path: Path,
    mypy_cache_dir: Path,
    record_property: pytest.RecordProperty,
) -> None:
    project = RenderedProject(render(tmp_path, context_for(combination)))
    try:
        assert leftover_jinja(project.path) == []
        project.sync()
        project.uv_run("ruff", "ruff", "check", ".")
        project.uv_run("format", "ruff", "format", "--check", ".")
        project.uv_run("imports", "lint-imports")
        project.uv_run(
            "mypy", "mypy", extra_env={"MYPY_CACHE_DIR": str(mypy_cache_dir)}
        )
        project.uv_run("pytest", "pytest", "-q", "-p", "no:cacheprovider")
    finally:
        record_property("timings", project.timings)
