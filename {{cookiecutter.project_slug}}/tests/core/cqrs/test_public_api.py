from __future__ import annotations

import ast
import pathlib
import types

import app.core.cqrs as cqrs


def _ruff_order(name: str) -> tuple[int, str]:
    # RUF022's "isort-style" order: CONSTANTS, then Classes, then functions.
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_lists_exactly_the_public_names_of_the_package() -> None:
    public = {
        name
        for name, value in vars(cqrs).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(cqrs.__all__) == public


def test_all_is_sorted_and_without_duplicates() -> None:
    assert cqrs.__all__ == sorted(set(cqrs.__all__), key=_ruff_order)


def test_the_core_imports_no_framework_or_infrastructure() -> None:
    forbidden = (
        *("fastapi", "starlette", "sqlalchemy", "redis", "prometheus_client"),
        *("dependency_injector", "app.api", "app.infrastructure", "app.container"),
    )
    package = pathlib.Path(cqrs.__file__).parent
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(forbidden), f"{source.name} imports {name}"
