from __future__ import annotations

from pathlib import Path

import pytest

from app.scaffold.errors import ScaffoldError
from app.scaffold.writing import NewFile, write_all
from tests.scaffold.conftest import snapshot


def test_every_file_is_written_with_its_missing_directories(tmp_path: Path) -> None:
    files = [NewFile(Path("a/b/one.py"), "one\n"), NewFile(Path("two.py"), "two\n")]

    written = write_all(tmp_path, files)

    assert written == [tmp_path / "a/b/one.py", tmp_path / "two.py"]
    assert (tmp_path / "a/b/one.py").read_text() == "one\n"
    assert (tmp_path / "two.py").read_text() == "two\n"


def test_an_existing_target_is_never_overwritten_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "two.py").write_text("mine\n")
    before = snapshot(tmp_path)

    with pytest.raises(ScaffoldError, match=r"refusing to overwrite two\.py"):
        write_all(tmp_path, [NewFile(Path("a/one.py"), "one\n"), NewFile(Path("two.py"), "x")])

    assert snapshot(tmp_path) == before


def test_a_failed_write_removes_what_was_already_written(tmp_path: Path) -> None:
    # A file where a directory must go: the second write fails after the first succeeded.
    (tmp_path / "blocker").write_text("mine\n")
    before = snapshot(tmp_path)
    files = [NewFile(Path("new/deeper/one.py"), "one\n"), NewFile(Path("blocker/two.py"), "x")]

    with pytest.raises(ScaffoldError, match="nothing was written"):
        write_all(tmp_path, files)

    assert snapshot(tmp_path) == before
