"""What the project already calls things: a new message may not reuse a class or module name.

Two classes of one name would share a message name (and so metrics and logs);
two modules of one name make imports ambiguous to read. Classes are found by a plain scan for
top-level `class` lines, which also works on a module that does not parse right now.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.scaffold.naming import MessageName

_TOP_LEVEL_CLASS = re.compile(r"^class\s+([A-Za-z_]\w*)", re.MULTILINE)


def name_clashes(root: Path, name: MessageName) -> list[str]:
    """Where `app/` already has a module or package named like the new module, or a class
    named like one the new files define."""
    new_classes = set(name.class_names)
    clashes: list[str] = []
    for path in sorted((root / "app").rglob("*")):
        if "__pycache__" in path.parts:
            continue
        relative = path.relative_to(root).as_posix()
        is_module = path.suffix == ".py"
        if (is_module or path.is_dir()) and path.stem == name.snake:
            clashes.append(f"module {relative}")
        if is_module:
            for defined in _TOP_LEVEL_CLASS.findall(path.read_text(encoding="utf-8")):
                if defined in new_classes:
                    clashes.append(f"class {defined} in {relative}")
    return clashes
