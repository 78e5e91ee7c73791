"""Scaffold one message: check its name against the rules and the project, then write."""

from __future__ import annotations

from pathlib import Path

from app.scaffold.errors import ScaffoldError
from app.scaffold.existing_names import name_clashes
from app.scaffold.naming import feature_name, message_name
from app.scaffold.rendering import Kind, new_files, reserved_clashes
from app.scaffold.writing import write_all


def scaffold(root: Path, kind: Kind, name_text: str, feature_text: str) -> list[Path]:
    """Write a new `kind` named `name_text` in `feature_text`; return the files written."""
    name = message_name(name_text)
    feature = feature_name(feature_text)
    shadowed = reserved_clashes(name)
    if shadowed:
        raise ScaffoldError(
            f"{name.class_name!r} would shadow {', '.join(shadowed)} in the generated modules"
        )
    clashes = name_clashes(root, name)
    if clashes:
        raise ScaffoldError(
            f"{name.class_name!r} is taken: the project already has {'; '.join(clashes)}"
        )
    if (root / "app" / "handlers" / f"{feature}.py").exists():
        raise ScaffoldError(
            f"feature {feature!r} is a module, app/handlers/{feature}.py, not a package"
        )
    return write_all(root, new_files(root, kind, name, feature))
