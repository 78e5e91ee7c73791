from __future__ import annotations

from pathlib import Path

import pytest

from app.scaffold.errors import ScaffoldError
from app.scaffold.scaffolding import scaffold
from tests.scaffold.conftest import snapshot


def test_a_command_gets_its_module_route_tests_and_new_packages(project: Path) -> None:
    written = scaffold(project, "command", "ArchiveUser", "general")

    assert sorted(path.relative_to(project).as_posix() for path in written) == [
        "app/api/scaffolded/__init__.py",
        "app/api/scaffolded/archive_user.py",
        "app/handlers/general/__init__.py",
        "app/handlers/general/archive_user.py",
        "tests/api/scaffolded/__init__.py",
        "tests/api/scaffolded/test_archive_user.py",
        "tests/handlers/general/__init__.py",
        "tests/handlers/general/test_archive_user.py",
    ]


def test_packages_that_exist_are_left_alone(project: Path) -> None:
    scaffold(project, "command", "ArchiveUser", "users")

    written = scaffold(project, "query", "GetArchivedUsers", "users")

    assert sorted(path.relative_to(project).as_posix() for path in written) == [
        "app/api/scaffolded/get_archived_users.py",
        "app/handlers/users/get_archived_users.py",
        "tests/api/scaffolded/test_get_archived_users.py",
        "tests/handlers/users/test_get_archived_users.py",
    ]
    assert (project / "app/handlers/users/__init__.py").read_text() == ""


@pytest.mark.parametrize(
    ("kind", "name", "feature", "reason"),
    [
        ("command", "CreateUser", "general", "is taken: .*class CreateUser in"),
        ("query", "CreateUser", "users", "is taken"),
        ("command", "not-valid", "general", "not a CamelCase name"),
        ("command", "Router", "general", "would shadow router"),
        ("command", "ArchiveUser", "Not-A-Package", "feature"),
    ],
)
def test_refused_names_write_nothing(
    project: Path, kind: str, name: str, feature: str, reason: str
) -> None:
    before = snapshot(project)

    with pytest.raises(ScaffoldError, match=reason):
        scaffold(project, kind, name, feature)  # type: ignore[arg-type]

    assert snapshot(project) == before


def test_a_name_scaffolded_once_is_refused_the_second_time(project: Path) -> None:
    scaffold(project, "command", "ArchiveUser", "general")
    before = snapshot(project)

    with pytest.raises(ScaffoldError, match="is taken"):
        scaffold(project, "query", "ArchiveUser", "billing")

    assert snapshot(project) == before


def test_a_feature_that_is_a_module_is_refused(project: Path) -> None:
    (project / "app/handlers/billing.py").write_text("")

    with pytest.raises(ScaffoldError, match="not a package"):
        scaffold(project, "command", "ArchiveUser", "billing")
