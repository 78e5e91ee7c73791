from __future__ import annotations

from pathlib import Path

from app.scaffold.existing_names import name_clashes
from app.scaffold.naming import message_name


def test_a_fresh_name_clashes_with_nothing(project: Path) -> None:
    assert name_clashes(project, message_name("ArchiveUser")) == []


def test_a_class_defined_anywhere_in_app_is_a_clash(project: Path) -> None:
    (project / "app/api/schemas.py").write_text("class ArchiveUserRequest:\n    pass\n")

    assert name_clashes(project, message_name("ArchiveUser")) == [
        "class ArchiveUserRequest in app/api/schemas.py"
    ]


def test_a_module_or_package_of_the_same_name_is_a_clash(project: Path) -> None:
    (project / "app/handlers/billing").mkdir()

    assert name_clashes(project, message_name("CreateUser")) == [
        "module app/handlers/users/create_user.py",
        "class CreateUser in app/handlers/users/create_user.py",
        "class CreateUserHandler in app/handlers/users/create_user.py",
    ]
    assert name_clashes(project, message_name("Billing")) == ["module app/handlers/billing"]


def test_nested_classes_and_compiled_files_are_not_clashes(project: Path) -> None:
    (project / "app/api/nested.py").write_text("def f():\n    class ArchiveUser:\n        pass\n")
    (project / "app/__pycache__").mkdir()
    (project / "app/__pycache__/archive_user.cpython-311.pyc").write_bytes(b"\x00")

    assert name_clashes(project, message_name("ArchiveUser")) == []
