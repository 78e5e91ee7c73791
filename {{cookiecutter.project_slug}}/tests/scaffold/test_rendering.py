"""The generated text: valid Python, within the line length, formatted as `ruff` would."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from app.scaffold.naming import MAX_FEATURE_LENGTH, MAX_NAME_LENGTH, message_name
from app.scaffold.rendering import LINE_LENGTH, RESERVED_NAMES, Kind, new_files, reserved_clashes
from app.scaffold.writing import NewFile, write_all

PROJECT_ROOT = Path(__file__).parents[2]
KINDS: tuple[Kind, ...] = ("command", "query")
# The longest name with the most words, and the longest feature: the longest generated lines.
LONGEST_NAME = "Ab" * (MAX_NAME_LENGTH // 2)
LONGEST_FEATURE = "ab_" * (MAX_FEATURE_LENGTH // 3) + "a" * (MAX_FEATURE_LENGTH % 3)


def files_for(root: Path, kind: Kind, name: str, feature: str) -> list[NewFile]:
    return new_files(root, kind, message_name(name), feature)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("name", "feature"), [("ArchiveUser", "general"), (LONGEST_NAME, LONGEST_FEATURE)]
)
def test_every_file_compiles_and_fits_the_line_length(
    tmp_path: Path, kind: Kind, name: str, feature: str
) -> None:
    for new in files_for(tmp_path, kind, name, feature):
        compile(new.text, str(new.path), "exec")
        assert max(len(line) for line in new.text.splitlines()) <= LINE_LENGTH, new.path


@pytest.mark.parametrize("kind", KINDS)
def test_the_longest_names_come_out_as_ruff_formats_and_lints_them(
    tmp_path: Path, kind: Kind
) -> None:
    written = write_all(tmp_path, files_for(tmp_path, kind, LONGEST_NAME, LONGEST_FEATURE))
    config = str(PROJECT_ROOT / "pyproject.toml")
    paths = [str(path) for path in written]

    # Both roots are sources, so that `app.*` imports sort as first-party, as in the project.
    sources = f"src = [{str(tmp_path)!r}, {str(PROJECT_ROOT)!r}]"
    for check in (["format", "--check", "--diff"], ["check"]):
        ruff = [sys.executable, "-m", "ruff", *check, "--config", config, "--config", sources]
        completed = subprocess.run(  # noqa: S603 (our own interpreter, our own arguments)
            [*ruff, *paths], capture_output=True, text=True, check=False, cwd=tmp_path
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_every_other_top_level_name_the_files_use_is_reserved(tmp_path: Path, kind: Kind) -> None:
    name = message_name("ArchiveUser")
    used: set[str] = set()
    for new in new_files(tmp_path, kind, name, "general"):
        for node in ast.parse(new.text).body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                used.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                used.add(node.name)
            elif isinstance(node, ast.Assign):
                used.update(target.id for target in node.targets if isinstance(target, ast.Name))

    tests = {used_name for used_name in used if used_name.startswith("test_")}
    assert used - tests - {*name.class_names, name.snake} <= RESERVED_NAMES


def test_names_the_files_use_are_refused() -> None:
    assert reserved_clashes(message_name("Router")) == ["router"]
    assert reserved_clashes(message_name("Settings")) == ["Settings"]
    assert reserved_clashes(message_name("ArchiveUser")) == []


def test_no_file_contains_template_syntax(tmp_path: Path) -> None:
    for kind in KINDS:
        for new in files_for(tmp_path, kind, "ArchiveUser", "general"):
            assert "$" not in new.text
            assert not any(marker in new.text for marker in ("{" + "{", "{" + "%", "{" + "#"))


def test_a_handler_whose_class_line_is_too_long_gets_ruffs_layout(tmp_path: Path) -> None:
    short, long = (
        files_for(tmp_path, "command", name, "general")[4].text
        for name in ("ArchiveUser", LONGEST_NAME)
    )

    assert "class ArchiveUserHandler(BaseCommandHandler[ArchiveUser, str]):" in short
    assert f"class {LONGEST_NAME}Handler(\n    BaseCommandHandler[{LONGEST_NAME}, str],\n):" in long
