"""A unit of work's statements on PostgreSQL, run on the asyncpg connection of its transaction.

The unit of work began the transaction on this connection (`driver_transaction`); statements
are compiled once (`postgres_statements`) and sent with asyncpg's prepared-statement cache, as
the asyncpg read path does. Rows come back as the engine would return them for the same
statement (`TypeDecorator` hooks included).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Dialect, Executable

from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.db.postgres_statements import PostgresStatements
from app.infrastructure.db.read_statements import NO_PARAMETERS, ReadRow


class AsyncpgTransactionStatements:
    __slots__ = ("_compiled", "_connection", "_dialect")

    def __init__(self, connection: Any, dialect: Dialect, compiled: PostgresStatements) -> None:
        self._connection = connection  # an asyncpg Connection inside a transaction
        self._dialect = dialect
        self._compiled = compiled

    @property
    def dialect(self) -> Dialect:
        return self._dialect

    async def fetch_one(
        self, statement: Executable, params: Mapping[str, Any] = NO_PARAMETERS
    ) -> ReadRow | None:
        compiled = self._compiled[statement]
        sql, values = compiled.arguments(params)
        with database_errors_translated():
            record = await self._connection.fetchrow(sql, *values)
        return None if record is None else compiled.row(record)

    async def fetch_all(
        self, statement: Executable, params: Mapping[str, Any] = NO_PARAMETERS
    ) -> Sequence[ReadRow]:
        compiled = self._compiled[statement]
        sql, values = compiled.arguments(params)
        with database_errors_translated():
            records = await self._connection.fetch(sql, *values)
        return [compiled.row(record) for record in records]

    async def execute(
        self, statement: Executable, params: Mapping[str, Any] = NO_PARAMETERS
    ) -> int:
        sql, values = self._compiled[statement].arguments(params)
        with database_errors_translated():
            status: str = await self._connection.execute(sql, *values)
        return rows_affected(status)


def rows_affected(status: str) -> int:
    """The row count in a command tag: "UPDATE 3" -> 3, "INSERT 0 1" -> 1."""
    count = status.rpartition(" ")[2]
    return int(count) if count.isdigit() else 0
