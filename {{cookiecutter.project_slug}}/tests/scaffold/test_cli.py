from __future__ import annotations

from pathlib import Path

import pytest

from app.scaffold.cli import main
from tests.scaffold.conftest import snapshot


def test_it_lists_what_it_wrote(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["command", "ArchiveUser"], root=project) == 0

    output = capsys.readouterr().out
    assert "Wrote the command ArchiveUser:" in output
    assert "app/handlers/general/archive_user.py" in output
    assert (project / "app/handlers/general/archive_user.py").is_file()


def test_the_feature_option_chooses_the_package(project: Path) -> None:
    assert main(["query", "GetArchivedUsers", "--feature", "users"], root=project) == 0

    assert (project / "app/handlers/users/get_archived_users.py").is_file()


def test_a_refusal_exits_1_with_its_reason(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(project)

    assert main(["command", "not-valid"], root=project) == 1

    assert "error: 'not-valid' is not a CamelCase name" in capsys.readouterr().err
    assert snapshot(project) == before


def test_an_unknown_kind_is_a_usage_error(project: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["event", "UserArchived"], root=project)

    assert exit_info.value.code == 2
