"""Finding the ```python blocks of a Markdown file and running them like a notebook.

Blocks of one file run in order in one module namespace, so a later block may use what an
earlier one defined. A block may `await` at top level. An info string after `python` names
what the block needs: `python users` runs only in projects that have the users example.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import sys
import tempfile
import types
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

_FENCE = re.compile(r"^```python(?P<tags>[^\n`]*)\n(?P<code>.*?)^```[ \t]*$", re.M | re.S)

# Info-string tag -> the module a project must have for blocks with that tag to run.
REQUIREMENTS = {"users": "app.handlers.users"}


@dataclass(frozen=True)
class CodeBlock:
    path: Path
    index: int
    line: int  # 1-based line of the block's first code line in the Markdown file
    tags: frozenset[str]
    code: str

    @property
    def name(self) -> str:
        return f"{self.path.name}[{self.index}] (line {self.line})"

    def missing_requirement(self) -> str | None:
        """Why this block cannot run in this project, or None when it can."""
        for tag in sorted(self.tags):
            module = REQUIREMENTS.get(tag)
            if module is None:
                return f"unknown info-string tag {tag!r} (known: {sorted(REQUIREMENTS)})"
            if importlib.util.find_spec(module) is None:
                return f"this project has no {module} (generated without the {tag} example)"
        return None


def python_blocks(path: Path) -> list[CodeBlock]:
    text = path.read_text(encoding="utf-8")
    blocks = []
    for index, match in enumerate(_FENCE.finditer(text)):
        line = text.count("\n", 0, match.start("code")) + 1
        tags = frozenset(match.group("tags").split())
        blocks.append(CodeBlock(path, index, line, tags, match.group("code")))
    return blocks


class DocModule:
    """A fresh module the blocks of one document run in, registered while it is in use.

    Registered in `sys.modules` so dataclasses, pickling and type resolution find the classes
    the blocks define.
    """

    def __init__(self, name: str) -> None:
        self.module = types.ModuleType(name)

    def __enter__(self) -> DocModule:
        sys.modules[self.module.__name__] = self.module
        return self

    def __exit__(self, *exc_info: object) -> None:
        sys.modules.pop(self.module.__name__, None)

    async def close_leftovers(self) -> None:
        """Dispose of engines and temporary directories that blocks run so far left open.

        A document closes them in its last block; a test that stops earlier must not leak them.
        """
        for value in list(vars(self.module).values()):
            if isinstance(value, AsyncEngine):
                await value.dispose()
            elif isinstance(value, tempfile.TemporaryDirectory):
                value.cleanup()

    async def run(self, block: CodeBlock) -> None:
        # Padding keeps line numbers in tracebacks equal to the Markdown file's.
        source = "\n" * (block.line - 1) + block.code
        code = compile(
            source, str(block.path), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True
        )
        outcome = eval(code, self.module.__dict__)  # noqa: S307 (our own documentation)
        if inspect.iscoroutine(outcome):
            await outcome
