"""Read statements run on the read engine: SQLite, and any database that is not PostgreSQL.

The engine autocommits (`engines.py`), so a query is one statement and no transaction. Its
statement errors are translated by the engine itself; the connect step (a pool timeout) is
translated here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from weakref import WeakSet

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.db.read_statements import NO_PARAMETERS, ReadRow, check_portable


class EngineReadStatements:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # Held weakly: a statement built per call is checked per call, and not kept.
        self._checked: WeakSet[Select[Any]] = WeakSet()

    async def fetch_one(
        self, statement: Select[Any], params: Mapping[str, Any] = NO_PARAMETERS
    ) -> ReadRow | None:
        self._check(statement)
        with database_errors_translated():
            async with self._engine.connect() as connection:
                row: ReadRow | None = (await connection.execute(statement, params)).first()
        return row

    async def fetch_all(
        self, statement: Select[Any], params: Mapping[str, Any] = NO_PARAMETERS
    ) -> Sequence[ReadRow]:
        self._check(statement)
        with database_errors_translated():
            async with self._engine.connect() as connection:
                rows: Sequence[ReadRow] = (await connection.execute(statement, params)).all()
        return rows

    async def fetch_value(
        self, statement: Select[Any], params: Mapping[str, Any] = NO_PARAMETERS
    ) -> Any:
        self._check(statement)
        with database_errors_translated():
            async with self._engine.connect() as connection:
                return (await connection.execute(statement, params)).scalar()

    async def aclose(self) -> None:
        """Nothing of its own to close: whoever made the engine disposes of it."""

    def _check(self, statement: Select[Any]) -> None:
        if statement not in self._checked:
            check_portable(statement)
            self._checked.add(statement)
