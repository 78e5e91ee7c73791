"""What the template refuses, it refuses before writing anything, and says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.combinations import (
    INVALID_SLUGS,
    UNSUPPORTED_COMBINATIONS,
    combination_id,
    context_for,
)
from tests.rendering import render_cli


@pytest.mark.parametrize("combination", UNSUPPORTED_COMBINATIONS, ids=combination_id)
def test_unsupported_combination_is_refused_with_its_reason(
    combination: dict[str, str], tmp_path: Path
) -> None:
    completed = render_cli(tmp_path, context_for(combination))

    assert completed.returncode != 0
    assert "Unsupported combination" in completed.stderr
    for key, value in combination.items():
        assert f"{key}={value}" in completed.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("slug", INVALID_SLUGS)
def test_invalid_slug_is_refused_with_the_rule(slug: str, tmp_path: Path) -> None:
    completed = render_cli(tmp_path, {"project_slug": slug})

    assert completed.returncode != 0
    assert "project_slug" in completed.stderr
    assert "lowercase letters, digits and single hyphens" in completed.stderr
    assert list(tmp_path.iterdir()) == []


def test_default_render_through_the_command_line_prints_next_steps(tmp_path: Path) -> None:
    completed = render_cli(tmp_path, {})

    assert completed.returncode == 0, completed.stderr
    assert "make run" in completed.stdout
    assert (tmp_path / "my-service" / "app" / "main.py").is_file()
