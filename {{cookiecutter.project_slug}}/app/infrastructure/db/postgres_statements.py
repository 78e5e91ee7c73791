"""Core statements compiled once for asyncpg: SQL with `$n` placeholders, and how to fill them.

SQLAlchemy's asyncpg dialect compiles the statement, so the SQL is what the read engine would
send (casts included). Kept with it: the parameter name behind each `$n`, the values baked into
the statement, and the processing SQLAlchemy applies to parameters and columns (the hooks of a
`TypeDecorator` such as `UTCDateTime`), so rows come back as they would through the engine.

`PostgresStatements` caches the compiled form by statement object: a statement built once (at
import, or once per shape of a dynamic query) costs a dictionary lookup per call. One built per
call is compiled per call; the cache is bounded, so such statements cannot pile up in it.

Reads (`Select`) are limited to the portable types of `read_statements`. A unit of work's
INSERT, UPDATE and DELETE statements, and textual ones, bind their values as the engine would
and are not limited; what they return (row counts, RETURNING of plain columns) is not processed.

An expanding parameter (`column.in_(bindparam("ids", expanding=True))`) makes the SQL depend
on how many values it gets: such a statement is expanded per call, as SQLAlchemy does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, Select, exc
from sqlalchemy.dialects.postgresql import asyncpg as postgresql_asyncpg
from sqlalchemy.sql.compiler import SQLCompiler

from app.infrastructure.db.read_statements import ReadRow, check_portable

logger = logging.getLogger(__name__)

Processor = Callable[[Any], Any]

# Far more than an application's prebuilt statements and shapes.
DEFAULT_MAX_COMPILED = 512

_dialect = postgresql_asyncpg.dialect()  # type: ignore[no-untyped-call]
_MISSING = object()


@dataclass(frozen=True, slots=True)
class PostgresStatement:
    sql: str
    # The bind parameter behind each `$n`, in order.
    names: tuple[str, ...]
    # Values the statement carries itself (a literal in a `where`), used when not passed.
    defaults: Mapping[str, Any]
    bind_processors: Mapping[str, Processor]
    # (position, processor) for the columns SQLAlchemy would process.
    column_processors: tuple[tuple[int, Processor], ...]
    # Set when the SQL depends on the values: the compiled form, to expand per call.
    expanding: SQLCompiler | None

    def arguments(self, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """The SQL to send, and the values for its placeholders in order."""
        if self.expanding is not None:
            return self._expanded(params)
        values: list[Any] = []
        for name in self.names:
            value = params.get(name, self.defaults.get(name, _MISSING))
            if value is _MISSING:
                # SQLAlchemy's own error for a bind parameter without a value.
                raise exc.InvalidRequestError(f"A value is required for bind parameter {name!r}")
            process = self.bind_processors.get(name)
            values.append(value if process is None else process(value))
        return self.sql, values

    def row(self, record: ReadRow) -> ReadRow:
        """The row as the engine would return it; the record itself when nothing is processed."""
        if not self.column_processors:
            return record
        values = list(record)
        for position, process in self.column_processors:
            values[position] = process(values[position])
        return tuple(values)

    def _expanded(self, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
        assert self.expanding is not None
        # Unescaped names throughout: they are the ones `positiontup` and the processors use.
        state = self.expanding.construct_expanded_state(dict(params), escape_names=False)
        assert state.positiontup is not None  # the dialect is positional
        processors = {**self.bind_processors, **state.processors}
        values: list[Any] = []
        for name in state.positiontup:
            value = state.parameters[name]
            process = processors.get(name)
            values.append(value if process is None else process(value))
        return state.statement, values


class PostgresStatements:
    """Compiled forms by statement object, each compiled once; the oldest go past `max_size`."""

    def __init__(self, max_size: int = DEFAULT_MAX_COMPILED) -> None:
        self._max_size = max_size
        self._compiled: dict[Executable, PostgresStatement] = {}
        self._warned = False

    def __len__(self) -> int:
        return len(self._compiled)

    def __getitem__(self, statement: Executable) -> PostgresStatement:
        compiled = self._compiled.get(statement)
        if compiled is None:
            compiled = compile_for_asyncpg(statement)
            if len(self._compiled) >= self._max_size:
                self._forget_oldest()
            self._compiled[statement] = compiled
        return compiled

    def _forget_oldest(self) -> None:
        del self._compiled[next(iter(self._compiled))]
        if not self._warned:
            self._warned = True
            logger.warning(
                "more than %d distinct statements: is one built per call? Build statements "
                "once, or once per shape, or each call compiles its own",
                self._max_size,
            )


def compile_for_asyncpg(statement: Executable) -> PostgresStatement:
    columns: tuple[Any, ...] = ()
    if isinstance(statement, Select):
        check_portable(statement)
        columns = tuple(statement.selected_columns)
    compiled = statement.compile(dialect=_dialect)  # type: ignore[attr-defined]
    assert isinstance(compiled, SQLCompiler)
    assert compiled.positiontup is not None  # the dialect is positional
    names = tuple(compiled.positiontup)
    binds = {name: compiled.binds[name] for name in names}
    bind_processors = {
        name: process
        for name, bind in binds.items()
        if (process := bind.type.dialect_impl(_dialect).bind_processor(_dialect)) is not None
    }
    column_processors = tuple(
        (position, process)
        for position, column in enumerate(columns)
        if (process := column.type.dialect_impl(_dialect).result_processor(_dialect, None))
        is not None
    )
    return PostgresStatement(
        sql=compiled.string,
        names=names,
        defaults={name: bind.effective_value for name, bind in binds.items() if not bind.required},
        bind_processors=bind_processors,
        column_processors=column_processors,
        expanding=compiled if compiled.post_compile_params else None,
    )
