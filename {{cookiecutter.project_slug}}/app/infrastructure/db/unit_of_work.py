"""The SQLAlchemy unit of work: one transaction on the write engine.

State changes made through `statements`, `session` or `connection()` and the events recorded
with `record` commit together or not at all (`transactions` has how the transaction reaches
the database): the events are appended to the event log inside the same transaction, just before
COMMIT. After a successful commit the after-commit hooks (projection catch-up, cache
invalidation) receive the events; their failures are logged and never undo the commit.

A unit of work that is neither committed nor rolled back is rolled back when used as an async
context manager; `rollback` after a commit or a failed commit does nothing, so callers can
always call it in their `finally`/`except` path.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Literal

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.core.cqrs.events import DomainEvent
from app.core.cqrs.ports import AfterCommitHook, IsolationLevel
from app.infrastructure.db.active_unit_of_work import activate, deactivate
from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.db.pool_turns import PoolTurns
from app.infrastructure.db.transaction_statements import TransactionStatements
from app.infrastructure.db.transactions import Transaction, Transactions
from app.infrastructure.events.log import RowsToInsert, append_events

logger = logging.getLogger(__name__)

_State = Literal["open", "committed", "rolled_back"]


class UnitOfWorkClosedError(RuntimeError):
    """The unit of work was used after it committed or rolled back."""


class SqlAlchemyUnitOfWork:
    def __init__(
        self,
        transaction: Transaction,
        *,
        after_commit: Sequence[AfterCommitHook],
        turns: PoolTurns | None = None,
    ) -> None:
        self._transaction = transaction
        self._turns = turns  # the turn this unit of work holds, given back when it ends
        self._after_commit = after_commit
        self._pending: list[DomainEvent] = []
        self._rows_on_commit: list[RowsToInsert] = []
        self._state: _State = "open"
        self._last_event_position: int | None = None
        self._replaced: SqlAlchemyUnitOfWork | None = None

    @property
    def session(self) -> AsyncSession:
        """The ORM session, in this unit of work's transaction."""
        self._ensure_open()
        return self._transaction.session

    async def connection(self) -> AsyncConnection:
        """The transaction's SQLAlchemy connection, for Core statements built per call."""
        self._ensure_open()
        return self._transaction.connection

    @property
    def statements(self) -> TransactionStatements:
        """Where repositories run their prebuilt statements (the fastest way on PostgreSQL)."""
        self._ensure_open()
        return self._transaction.statements

    @property
    def is_open(self) -> bool:
        return self._state == "open"

    @property
    def pending_events(self) -> tuple[DomainEvent, ...]:
        return tuple(self._pending)

    @property
    def last_event_position(self) -> int | None:
        return self._last_event_position

    def record(self, *events: DomainEvent) -> None:
        self._ensure_open()
        self._pending.extend(events)

    def insert_on_commit(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert `rows` into `table` as part of the commit, with the events.

        On PostgreSQL they travel in the events' own statement: rows that must commit with the
        change (the audit trail's) then cost no round trip of their own.
        """
        self._ensure_open()
        self._rows_on_commit.append((table, rows))

    async def commit(self) -> None:
        self._ensure_open()
        events = tuple(self._pending)
        try:
            with database_errors_translated():
                positions: list[int] = []
                if events or self._rows_on_commit:
                    positions = await append_events(
                        self._transaction.statements, events, with_rows=self._rows_on_commit
                    )
                await self._transaction.commit()
        except BaseException:
            await self._finish("rolled_back")
            raise
        self._last_event_position = positions[-1] if positions else None
        await self._finish("committed")
        await self._run_after_commit_hooks(events)

    async def rollback(self) -> None:
        if self._state == "open":
            await self._finish("rolled_back")

    async def __aenter__(self) -> SqlAlchemyUnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.rollback()

    def _activate(self) -> None:
        self._replaced = activate(self)

    async def _finish(self, state: _State) -> None:
        self._state = state
        self._pending.clear()
        self._rows_on_commit.clear()
        deactivate(self, self._replaced)
        # Rolls back whatever is still open and returns the connection to the pool.
        await self._transaction.close()
        if self._turns is not None:
            self._turns.give_back()
            self._turns = None

    async def _run_after_commit_hooks(self, events: Sequence[DomainEvent]) -> None:
        for hook in self._after_commit:
            try:
                await hook(events)
            except Exception:
                logger.exception("after-commit hook %r failed; the commit stands", hook)

    def _ensure_open(self) -> None:
        if self._state != "open":
            raise UnitOfWorkClosedError(f"the unit of work is already {self._state}")


class SqlAlchemyUnitOfWorkFactory:
    """Begins units of work on the write engine.

    On PostgreSQL through asyncpg each transaction runs on the driver (`AsyncpgTransaction`)
    unless `through_driver=False`; the app passes False when tracing is on, so the engine's
    instrumentation sees every statement. With `turns` (the app gives one fewer than the
    engine's pool holds), units of work get their connections in the order they began.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        after_commit: Iterable[AfterCommitHook] = (),
        through_driver: bool = True,
        turns: PoolTurns | None = None,
    ) -> None:
        self._turns = turns
        self._transactions = Transactions(engine, through_driver=through_driver)
        self._after_commit: list[AfterCommitHook] = list(after_commit)
        # SQLite transactions are always serializable; it accepts no other level.
        self._honours_isolation_levels = engine.dialect.name != "sqlite"

    def add_after_commit_hook(self, hook: AfterCommitHook) -> None:
        self._after_commit.append(hook)

    async def begin(self, *, isolation_level: IsolationLevel | None = None) -> SqlAlchemyUnitOfWork:
        level = isolation_level if self._honours_isolation_levels else None
        if self._turns is not None:
            with database_errors_translated():
                await self._turns.take()
        try:
            transaction = await self._transactions.begin(level)
        except BaseException:
            if self._turns is not None:
                self._turns.give_back()
            raise
        unit_of_work = SqlAlchemyUnitOfWork(
            transaction, after_commit=tuple(self._after_commit), turns=self._turns
        )
        unit_of_work._activate()
        return unit_of_work
