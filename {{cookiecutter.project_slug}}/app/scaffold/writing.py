"""Writing new files: never over an existing one, and all of them or none.

Every target is checked before anything is written, and each file is created exclusively
(`open(..., "x")`), so a file that appears in the meantime is not overwritten either. When a
write fails, the files and directories already created are removed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.scaffold.errors import ScaffoldError


@dataclass(frozen=True, slots=True)
class NewFile:
    path: Path  # relative to the project root
    text: str


def write_all(root: Path, files: Sequence[NewFile]) -> list[Path]:
    """Create every file below `root`; return their paths, or raise with nothing written."""
    existing = [new.path.as_posix() for new in files if (root / new.path).exists()]
    if existing:
        raise ScaffoldError(f"refusing to overwrite {', '.join(existing)}; nothing was written")
    created_files: list[Path] = []
    created_directories: list[Path] = []
    try:
        for new in files:
            target = root / new.path
            created_directories.extend(_make_directories(target.parent))
            with target.open("x", encoding="utf-8") as stream:
                created_files.append(target)
                stream.write(new.text)
    except OSError as exc:
        _remove(created_files, created_directories)
        raise ScaffoldError(
            f"could not write {exc.filename or exc}: {exc.strerror or exc}; nothing was written"
        ) from exc
    except BaseException:
        _remove(created_files, created_directories)
        raise
    return created_files


def _make_directories(directory: Path) -> list[Path]:
    """Create `directory` and its missing parents; return those created, outermost first."""
    missing: list[Path] = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


def _remove(files: list[Path], directories: list[Path]) -> None:
    for path in reversed(files):
        path.unlink(missing_ok=True)
    for path in reversed(directories):
        path.rmdir()
