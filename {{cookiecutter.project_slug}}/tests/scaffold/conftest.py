"""A small stand-in project to scaffold into: `app/` with one existing users command."""

from __future__ import annotations

from pathlib import Path

import pytest


def snapshot(root: Path) -> dict[str, str]:
    """Every file below `root` with its text, and every directory (as "<dir>")."""
    return {
        path.relative_to(root).as_posix(): path.read_text() if path.is_file() else "<dir>"
        for path in sorted(root.rglob("*"))
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for package in ("app", "app/api", "app/handlers", "app/handlers/users", "tests"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "app/handlers/users/create_user.py").write_text(
        "class CreateUser:\n    pass\n\n\nclass CreateUserHandler:\n    pass\n"
    )
    return tmp_path
