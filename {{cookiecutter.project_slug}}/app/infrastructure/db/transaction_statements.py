"""The port a unit of work's statements go through: a prebuilt Core statement in, rows out.

Write repositories and the event log run their statements through `unit_of_work.statements`
rather than a connection of their own, so the unit of work decides how they reach the database:

- `ConnectionStatements` (here) runs them on the transaction's SQLAlchemy connection: SQLite,
  any other database, and PostgreSQL when tracing is on (the engine's spans cover them).
- `AsyncpgTransactionStatements` (`asyncpg_transaction_statements`) runs them on PostgreSQL
  straight on the asyncpg connection under the transaction, each compiled once. SQLAlchemy's
  async layer costs more CPU per statement than asyncpg does to run it.

Build each statement once, with a named `bindparam` per value, and pass the values per call.
Both implementations raise the `PersistenceError`s of `app.infrastructure.db.errors`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Dialect, Executable
from sqlalchemy.ext.asyncio import AsyncConnection

from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.db.read_statements import NO_PARAMETERS, ReadRow


class TransactionStatements(Protocol):
    @property
    def dialect(self) -> Dialect:
        """The database's SQLAlchemy dialect, for statements built per dialect."""
        ...

    async def fetch_one(
        self, statement: Executable, params: Mapping[str, Any] = NO_PARAMETERS
    ) -> ReadRow | None:
        """The first row, or None when there is none."""
        ...

    async def fetch_all(
        self, statement: Executable, params: Mapping[str, Any] = NO_PARAMETERS
    ) -> Sequence[ReadRow]:
        """Every row (of a SELECT, or of an INSERT/UPDATE/DELETE ... RETURNING)."""
        ...

    async def execute(
        self, statement: Executable, params: Mapping[str, Any] = NO_PARAMETERS
    ) -> int:
        """Run an INSERT, UPDATE or DELETE; the number of rows it matched."""
        ...


class ConnectionStatements:
    """Statements on a SQLAlchemy connection, inside whatever transaction it has."""

    __slots__ = ("connection",)

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    @property
    def dialect(self) -> Dialect:
        return self.connection.dialect

    async def fetch_one(
        self, statement: Executable, params: Mapping[str, Any] = NO_PARAMETERS
    ) -> ReadRow | None:
        with database_errors_translated():
            return (await self.connection.execute(statement, dict(params))).first()

    async def fetch_all(
        self, statement: Executable, params: Mapping[str, Any] = NO_PARAMETERS
    ) -> Sequence[ReadRow]:
        with database_errors_translated():
            return (await self.connection.execute(statement, dict(params))).all()

    async def execute(
        self, statement: Executable, params: Mapping[str, Any] = NO_PARAMETERS
    ) -> int:
        with database_errors_translated():
            result = await self.connection.execute(statement, dict(params))
        return result.rowcount


def statements_on(target: TransactionStatements | AsyncConnection) -> TransactionStatements:
    """`target` itself, or a connection's statements (for callers that hold a connection)."""
    return ConnectionStatements(target) if isinstance(target, AsyncConnection) else target
