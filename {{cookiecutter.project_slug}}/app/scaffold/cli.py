"""The command line: `python -m app.scaffold {command,query} NAME [--feature FEATURE]`.

Exit status 0 with the files written listed, or 1 with the reason nothing was written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app.scaffold.errors import ScaffoldError
from app.scaffold.naming import DEFAULT_FEATURE
from app.scaffold.scaffolding import scaffold

PROJECT_ROOT = Path(__file__).parents[2]


def parser() -> argparse.ArgumentParser:
    arguments = argparse.ArgumentParser(
        prog="python -m app.scaffold",
        description="Write a new command or query: the message, its handler, a route, tests.",
    )
    arguments.add_argument("kind", choices=("command", "query"))
    arguments.add_argument("name", help="CamelCase, e.g. ArchiveUser or GetArchivedUsers")
    arguments.add_argument(
        "--feature",
        default=DEFAULT_FEATURE,
        help=f"package under app/handlers/ (default: {DEFAULT_FEATURE}; created if missing)",
    )
    return arguments


def main(argv: Sequence[str] | None = None, root: Path = PROJECT_ROOT) -> int:
    options = parser().parse_args(argv)
    try:
        written = scaffold(root, options.kind, options.name, options.feature)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote the {options.kind} {options.name}:")
    for path in written:
        print(f"  {path.relative_to(root)}")
    print("Its tests pass as written (`make test`); now make its handler do the work.")
    return 0
