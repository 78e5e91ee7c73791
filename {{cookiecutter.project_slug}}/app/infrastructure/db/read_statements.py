"""The port read repositories run their queries through: a prebuilt Core `Select` in, rows out.

A read repository builds each statement once (at import, or once per shape of a dynamic query)
with a named `bindparam` for every value, and passes the values per call. Two implementations:

- `EngineReadStatements` (`engine_read_statements`) runs them on the read engine: SQLite, and
  any database that is not PostgreSQL.
- `AsyncpgReadStatements` (`asyncpg_read_statements`) compiles each statement once for
  PostgreSQL and runs it on an asyncpg pool, without SQLAlchemy's async layer in between.

Both return the same values for the same rows, and both raise the `PersistenceError`s of
`app.infrastructure.db.errors` for database failures (503 for an unreachable database). So
that the values are the same, columns and parameters are limited to `PORTABLE_TYPES`; both
implementations refuse any other statement, so the SQLite tests catch what PostgreSQL would.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Protocol

from sqlalchemy import Boolean, Date, DateTime, Enum, Integer, Select, String, TypeDecorator, Uuid
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import NullType, TypeEngine

NO_PARAMETERS: Mapping[str, Any] = MappingProxyType({})

# Types whose values asyncpg returns exactly as SQLAlchemy's asyncpg dialect does (the dialect
# adds no processing of its own to them). A `TypeDecorator` counts as its `impl`; its hooks run
# on both paths. JSON (decoded by a codec the dialect installs) and Numeric (processed by result
# type) are not among them.
PORTABLE_TYPES: tuple[type[TypeEngine[Any]], ...] = (
    Boolean,
    Date,
    DateTime,
    Integer,
    String,
    Uuid,
    NullType,
)


class ReadRow(Protocol):
    """A result row: its values by position (a SQLAlchemy `Row`, an asyncpg `Record`, a tuple)."""

    def __getitem__(self, index: int, /) -> Any: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Any]: ...


class ReadStatements(Protocol):
    async def fetch_one(
        self, statement: Select[Any], params: Mapping[str, Any] = NO_PARAMETERS
    ) -> ReadRow | None:
        """The first row, or None when there is none."""
        ...

    async def fetch_all(
        self, statement: Select[Any], params: Mapping[str, Any] = NO_PARAMETERS
    ) -> Sequence[ReadRow]:
        """Every row."""
        ...

    async def fetch_value(
        self, statement: Select[Any], params: Mapping[str, Any] = NO_PARAMETERS
    ) -> Any:
        """The first column of the first row, or None when there is no row."""
        ...

    async def aclose(self) -> None:
        """Let go of what the implementation holds itself (not the engine it was given)."""
        ...


class UnportableStatementError(TypeError):
    """The statement reads or binds a type the two implementations would not return alike."""


def check_portable(statement: Select[Any]) -> None:
    """Refuse a statement whose columns or parameters are not all of `PORTABLE_TYPES`."""
    for position, column in enumerate(statement.selected_columns, 1):
        _check_type(column.type, f"column {getattr(column, 'name', position)!r}")
    for element in visitors.iterate(statement):
        if isinstance(element, BindParameter):
            _check_type(element.type, f"parameter {element.key!r}")


def _check_type(type_: TypeEngine[Any], what: str) -> None:
    underlying = type_
    while isinstance(underlying, TypeDecorator):
        underlying = underlying.impl_instance
    portable = isinstance(underlying, PORTABLE_TYPES) and not isinstance(underlying, Enum)
    if isinstance(underlying, Uuid) and not underlying.as_uuid:
        portable = False  # SQLAlchemy returns these as strings, asyncpg as UUIDs
    if not portable:
        raise UnportableStatementError(
            f"{what} is of type {type_!r}, which asyncpg and SQLAlchemy do not return alike; "
            f"read it through the read engine instead"
        )
