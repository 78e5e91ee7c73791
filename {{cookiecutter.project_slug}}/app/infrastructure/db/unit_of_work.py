"""The SQLAlchemy unit of work: one transaction on the write engine.

Repositories write through `connection()` (Core) or `session` (ORM, made when first asked for
and bound to the same connection), both in the unit of work's transaction. The events recorded
with `record` are appended to the event log in that same transaction just before COMMIT, so a
change and its events commit together or not at all. After a successful commit the after-commit
hooks (projection catch-up, cache invalidation) receive the events; their failures are logged
and never undo the commit.

`rollback` after a commit or a failed commit does nothing, so callers can always call it in their
`finally`/`except` path; used as an async context manager, an open unit of work rolls back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.core.cqrs.events import DomainEvent
from app.core.cqrs.ports import AfterCommitHook, IsolationLevel
from app.infrastructure.db.active_unit_of_work import activate, deactivate
from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.events.log import append_events

logger = logging.getLogger(__name__)

_State = Literal["open", "committed", "rolled_back"]


class UnitOfWorkClosedError(RuntimeError):
    """The unit of work was used after it committed or rolled back."""


class SqlAlchemyUnitOfWork:
    def __init__(
        self, connection: AsyncConnection, *, after_commit: Sequence[AfterCommitHook]
    ) -> None:
        self._connection = connection
        self._session: AsyncSession | None = None
        self._after_commit = after_commit
        self._pending: list[DomainEvent] = []
        self._state: _State = "open"
        self._last_event_position: int | None = None
        self._replaced: SqlAlchemyUnitOfWork | None = None

    @property
    def session(self) -> AsyncSession:
        """The ORM session, in this unit of work's transaction."""
        self._ensure_open()
        if self._session is None:
            self._session = AsyncSession(self._connection, expire_on_commit=False, autoflush=False)
        return self._session

    async def connection(self) -> AsyncConnection:
        """The transaction's connection, for Core statements."""
        self._ensure_open()
        return self._connection

    @property
    def last_event_position(self) -> int | None:
        return self._last_event_position

    def record(self, *events: DomainEvent) -> None:
        self._ensure_open()
        self._pending.extend(events)

    async def commit(self) -> None:
        self._ensure_open()
        events = tuple(self._pending)
        try:
            with database_errors_translated():
                if self._session is not None:
                    await self._session.flush()
                positions = await append_events(self._connection, events)
                await self._connection.commit()
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
        deactivate(self, self._replaced)
        try:
            if self._session is not None:
                await self._session.close()
            # Rolls back whatever is still open and returns the connection to the pool.
            await self._connection.close()
        except Exception:
            logger.warning("closing a database connection failed", exc_info=True)

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
    """Begins units of work on the write engine, each a transaction on a connection of its own."""

    def __init__(
        self, engine: AsyncEngine, *, after_commit: Iterable[AfterCommitHook] = ()
    ) -> None:
        self._engine = engine
        self._after_commit = tuple(after_commit)
        # SQLite transactions are always serializable; it accepts no other level.
        self._honours_isolation_levels = engine.dialect.name != "sqlite"

    async def begin(self, *, isolation_level: IsolationLevel | None = None) -> SqlAlchemyUnitOfWork:
        with database_errors_translated():
            # Connect now: an unreachable database fails here, before the handler runs.
            connection = await self._engine.connect()
        try:
            if isolation_level is not None and self._honours_isolation_levels:
                level = isolation_level.replace("_", " ")
                await connection.execution_options(isolation_level=level)
            with database_errors_translated():
                await connection.begin()
        except BaseException:
            await connection.close()
            raise
        unit_of_work = SqlAlchemyUnitOfWork(connection, after_commit=self._after_commit)
        unit_of_work._activate()
        return unit_of_work
