"""docs/operations.md documents every setting, and only settings that exist."""

from __future__ import annotations

import re
from pathlib import Path

from app.settings import Settings

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
SECTION = "## Configuration reference"
# A table row whose first cell is an environment variable in backticks: | `DATABASE_URL` | ...
_ROW = re.compile(r"^\|\s*`(?P<name>[A-Z][A-Z0-9_]*)`\s*\|", re.M)


def documented_settings() -> list[str]:
    text = OPERATIONS.read_text(encoding="utf-8")
    start = text.index(SECTION) + len(SECTION)
    end = text.find("\n## ", start)
    section = text[start : end if end != -1 else None]
    table_end = section.find("\n### ")  # rows after the first table are other variables
    return _ROW.findall(section[: table_end if table_end != -1 else None])


def test_the_configuration_reference_lists_exactly_the_settings_fields() -> None:
    expected = sorted(name.upper() for name in Settings.model_fields)
    assert sorted(documented_settings()) == expected


def test_the_configuration_reference_lists_each_setting_once() -> None:
    documented = documented_settings()
    assert len(documented) == len(set(documented))
