"""Many rows in one INSERT on PostgreSQL, one array parameter per column.

`INSERT ... SELECT ... FROM unnest($1::type[], $2::type[], ...)` has the same text for one row
or a thousand, so it is prepared once, and it can sit in a larger statement: as a CTE, or
joined to something that must be evaluated first (the event log's append lock). Values go
through each column's own bind processing (JSON serialization, UTC timestamps), as they would
in `insert(table)`; JSON travels as text and is cast per row to the column's JSON type, since
asyncpg has no codec for arrays of JSON.

One made with `one_row=True` inserts exactly one row and takes each column as a plain parameter
(`FROM (VALUES (...))`): asyncpg encodes, and PostgreSQL reads, a scalar for less CPU than a
one-element array, and a command's commit usually writes one row of each kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect, Table
from sqlalchemy.sql import sqltypes


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    parameter_type: str  # the parameter's cast for one value, e.g. "TIMESTAMP WITH TIME ZONE"
    select: str  # the column in the SELECT list, cast from text if JSON
    process: Callable[[Any], Any] | None


class ArrayInsert:
    """The INSERT of `columns` of `table`, with parameters named `<prefix><column>`."""

    def __init__(
        self,
        table: Table,
        columns: Sequence[str],
        dialect: Dialect,
        *,
        prefix: str,
        one_row: bool = False,
    ) -> None:
        self._prefix = prefix
        self._one_row = one_row
        preparer = dialect.identifier_preparer
        alias = f"{prefix}rows"
        self._columns = tuple(_column(table, name, dialect, alias) for name in columns)
        names = ", ".join(preparer.quote(column.name) for column in self._columns)
        selected = ", ".join(column.select for column in self._columns)
        self.insert_into = f"INSERT INTO {preparer.format_table(table)} ({names})"
        self.select_from = f"SELECT {selected}"
        array = "" if one_row else "[]"
        values = ", ".join(
            f"CAST(:{prefix}{column.name} AS {column.parameter_type}{array})"
            for column in self._columns
        )
        source = f"(VALUES ({values}))" if one_row else f"unnest({values})"
        self.rows_source = f"{source} AS {alias}({names})"

    def sql(self, *, joined_to: str | None = None) -> str:
        """The statement; `joined_to` is a FROM item evaluated before the first row."""
        source = self.rows_source if joined_to is None else f"{joined_to}, {self.rows_source}"
        return f"{self.insert_into} {self.select_from} FROM {source}"

    def parameters(self, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        if self._one_row and len(rows) != 1:
            raise ValueError(f"this insert takes exactly one row, not {len(rows)}")
        parameters: dict[str, Any] = {}
        for column in self._columns:
            values = [row[column.name] for row in rows]
            if column.process is not None:
                values = [column.process(value) for value in values]
            parameters[f"{self._prefix}{column.name}"] = values[0] if self._one_row else values
        return parameters


def _column(table: Table, name: str, dialect: Dialect, alias: str) -> _Column:
    column_type = table.c[name].type
    implementation = column_type.dialect_impl(dialect)
    process = implementation.bind_processor(dialect)
    sql_type = column_type.compile(dialect=dialect)
    value = f"{alias}.{dialect.identifier_preparer.quote(name)}"
    if isinstance(implementation, sqltypes.JSON):
        return _Column(name, "TEXT", f"CAST({value} AS {sql_type})", process)
    return _Column(name, sql_type, value, process)
