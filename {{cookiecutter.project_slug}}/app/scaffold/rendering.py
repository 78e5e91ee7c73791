"""The files a new command or query is made of, and their text.

For a message `ArchiveUser` in feature `general`:
`app/handlers/general/archive_user.py` (the message and its handler),
`app/api/scaffolded/archive_user.py` (its route), and their tests,
`tests/handlers/general/test_archive_user.py` and `tests/api/scaffolded/test_archive_user.py`;
plus each package's `__init__.py` when the package is new.
"""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Literal

from app.scaffold import handler_templates, route_templates, tests_templates
from app.scaffold.naming import MessageName
from app.scaffold.writing import NewFile

Kind = Literal["command", "query"]

LINE_LENGTH = 100
ROUTES_PACKAGE = Path("app/api/scaffolded")
ROUTE_TESTS_PACKAGE = Path("tests/api/scaffolded")
API_PREFIX = "/api/v1"

# Names the generated modules import or define, besides those derived from the message
# name: a message named like one of them would shadow it.
RESERVED_NAMES = frozenset(
    {
        "APIRouter",
        "AsyncIterator",
        "BLANK_PROBLEM",
        "BaseCommandHandler",
        "BaseModel",
        "BaseQueryHandler",
        "CQRSBus",
        "CommitCounter",
        "CurrentOperations",
        "DomainEvent",
        "HandlerRegistry",
        "ICommand",
        "IQuery",
        "MemoryQueryCache",
        "OperationStatus",
        "PATH",
        "SqlAlchemyUnitOfWorkFactory",
        "Sequence",
        "Settings",
        "annotations",
        "authentication_dependency",
        "bus",
        "cached_query",
        "command_handler",
        "counter",
        "create_write_engine",
        "dataclass",
        "has_authentication",
        "gathered_router",
        "httpx",
        "importlib",
        "pkgutil",
        "problem_responses",
        "pytest",
        "query_handler",
        "router",
        "succeeded",
        "transactional",
        "with_authentication",
        "without_authentication",
    }
)

_TEMPLATES: dict[Kind, tuple[Template, Template, Template, Template]] = {
    "command": (
        handler_templates.COMMAND_MODULE,
        route_templates.COMMAND_ROUTE,
        tests_templates.COMMAND_HANDLER_TEST,
        tests_templates.COMMAND_ROUTE_TEST,
    ),
    "query": (
        handler_templates.QUERY_MODULE,
        route_templates.QUERY_ROUTE,
        tests_templates.QUERY_HANDLER_TEST,
        tests_templates.QUERY_ROUTE_TEST,
    ),
}

_HANDLER_BASES: dict[Kind, str] = {
    "command": "BaseCommandHandler[$name, str]",
    "query": "BaseQueryHandler[$name, tuple[str, ...]]",
}


def reserved_clashes(name: MessageName) -> list[str]:
    """The names the new modules would shadow by defining `name`'s classes and functions."""
    return sorted(RESERVED_NAMES.intersection((*name.class_names, name.snake)))


def route_path(feature: str, name: MessageName) -> str:
    return f"{API_PREFIX}/{feature.replace('_', '-')}/{name.kebab}"


def new_files(root: Path, kind: Kind, name: MessageName, feature: str) -> list[NewFile]:
    """Every file to write below `root`: new packages' `__init__.py` first, then the modules."""
    values = {
        "name": name.class_name,
        "handler": name.handler,
        "request": name.request,
        "response": name.response,
        "snake": name.snake,
        "summary": name.summary,
        "feature": feature,
        "path": route_path(feature, name),
        "handler_class": _handler_class_line(kind, name),
    }
    handler, route, handler_test, route_test = _TEMPLATES[kind]
    handlers = Path("app/handlers", feature)
    handler_tests = Path("tests/handlers", feature)
    packages = [
        NewFile(handlers / "__init__.py", handler_templates.FEATURE_PACKAGE.substitute(values)),
        NewFile(ROUTES_PACKAGE / "__init__.py", route_templates.ROUTES_PACKAGE.substitute()),
        NewFile(
            handler_tests / "__init__.py",
            tests_templates.TESTS_PACKAGE.substitute(what=f"the {feature} handlers"),
        ),
        NewFile(
            ROUTE_TESTS_PACKAGE / "__init__.py",
            tests_templates.TESTS_PACKAGE.substitute(what="the scaffolded routes"),
        ),
    ]
    modules = [
        NewFile(handlers / f"{name.snake}.py", handler.substitute(values)),
        NewFile(ROUTES_PACKAGE / f"{name.snake}.py", route.substitute(values)),
        NewFile(handler_tests / f"test_{name.snake}.py", handler_test.substitute(values)),
        NewFile(ROUTE_TESTS_PACKAGE / f"test_{name.snake}.py", route_test.substitute(values)),
    ]
    return [package for package in packages if not (root / package.path).exists()] + modules


def _handler_class_line(kind: Kind, name: MessageName) -> str:
    # The layout `ruff format` gives a class whose bases do not fit on its line.
    base = Template(_HANDLER_BASES[kind]).substitute(name=name.class_name)
    line = f"class {name.handler}({base}):"
    if len(line) <= LINE_LENGTH:
        return line
    return f"class {name.handler}(\n    {base},\n):"
