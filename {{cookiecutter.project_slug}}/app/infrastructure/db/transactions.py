"""How a unit of work's transaction reaches the database: through a session, or through asyncpg.

`SessionTransaction` is SQLAlchemy's own: a session whose connection holds the transaction, and
every statement on that connection. `AsyncpgTransaction` (PostgreSQL) holds a pooled connection
of the same engine, but begins, runs the unit of work's statements and commits on the asyncpg
connection under it, without SQLAlchemy's async layer (engine, greenlet, `Result`) per
statement. Its session is made only when asked for, on the same connection: what it and Core
code on `connection` write runs in a savepoint of the transaction and is released before the
transaction commits, so everything still commits together or not at all. `Transactions` picks
one of the two for an engine.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from app.core.cqrs.ports import IsolationLevel
from app.infrastructure.db.asyncpg_transaction_statements import AsyncpgTransactionStatements
from app.infrastructure.db.errors import UnavailableError, database_errors_translated
from app.infrastructure.db.postgres_statements import PostgresStatements
from app.infrastructure.db.transaction_statements import (
    ConnectionStatements,
    TransactionStatements,
)

logger = logging.getLogger(__name__)

_SQL_ISOLATION_LEVELS: dict[IsolationLevel, str] = {
    "READ_COMMITTED": "READ COMMITTED",
    "REPEATABLE_READ": "REPEATABLE READ",
    "SERIALIZABLE": "SERIALIZABLE",
}


class Transaction(Protocol):
    statements: TransactionStatements

    @property
    def session(self) -> AsyncSession: ...

    @property
    def connection(self) -> AsyncConnection: ...

    async def commit(self) -> None: ...

    async def close(self) -> None:
        """Roll back whatever is still open and give the connection back; never raises."""
        ...


class SessionTransaction:
    def __init__(self, session: AsyncSession, connection: AsyncConnection) -> None:
        self._session = session
        self._connection = connection
        self.statements: TransactionStatements = ConnectionStatements(connection)

    @classmethod
    async def begin(
        cls, sessions: async_sessionmaker[AsyncSession], isolation_level: IsolationLevel | None
    ) -> SessionTransaction:
        session = sessions()
        options = None
        if isolation_level is not None:
            options = {"isolation_level": _SQL_ISOLATION_LEVELS[isolation_level]}
        try:
            with database_errors_translated():
                # Take the connection now: an unreachable database fails here, before any work.
                connection = await session.connection(execution_options=options)
        except BaseException:
            await session.close()
            raise
        return cls(session, connection)

    @property
    def session(self) -> AsyncSession:
        return self._session

    @property
    def connection(self) -> AsyncConnection:
        return self._connection

    async def commit(self) -> None:
        await self._session.commit()

    async def close(self) -> None:
        try:
            await self._session.close()
        except Exception:
            logger.warning("closing a database session failed", exc_info=True)


class AsyncpgTransaction:
    def __init__(
        self,
        connection: AsyncConnection,
        driver_connection: Any,
        transaction: Any,
        sessions: async_sessionmaker[AsyncSession],
        compiled: PostgresStatements,
    ) -> None:
        self._connection = connection
        self._driver = driver_connection
        self._transaction = transaction  # asyncpg's, begun
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._finished = False
        self.statements: TransactionStatements = AsyncpgTransactionStatements(
            driver_connection, connection.dialect, compiled
        )

    @classmethod
    async def begin(
        cls,
        engine: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        compiled: PostgresStatements,
        isolation_level: IsolationLevel | None,
    ) -> AsyncpgTransaction:
        # asyncpg names the levels as ours, in lower case ("read_committed", ...).
        isolation = None if isolation_level is None else isolation_level.lower()
        connection, driver = await _live_connection(engine)
        try:
            with database_errors_translated():
                transaction = driver.transaction(isolation=isolation)
                await transaction.start()
        except BaseException:
            await _discard(connection)
            raise
        return cls(connection, driver, transaction, sessions, compiled)

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self._sessions(bind=self._connection)
        return self._session

    @property
    def connection(self) -> AsyncConnection:
        return self._connection

    async def commit(self) -> None:
        # Release the savepoint the session or Core code on `connection` wrote in, if any.
        if self._session is not None:
            await self._session.commit()
        if self._connection.in_transaction():
            await self._connection.commit()
        with database_errors_translated():
            self._finished = True
            await self._transaction.commit()

    async def close(self) -> None:
        try:
            if self._session is not None:
                await self._session.close()
            if self._connection.in_transaction():
                await self._connection.rollback()
        except Exception:
            logger.warning("rolling back a savepoint failed", exc_info=True)
        broken = self._driver.is_closed()
        if not self._finished and not broken:
            try:
                await self._transaction.rollback()
            except Exception:
                broken = True
        if broken or self._driver.is_in_transaction():
            # Never give the pool a connection that is dead or still inside a transaction.
            await _discard(self._connection)
            return
        try:
            await self._connection.close()
        except Exception:
            logger.warning("returning a database connection failed", exc_info=True)


class Transactions:
    """Begins transactions on `engine`: through asyncpg when it is the driver, unless
    `through_driver=False` (tracing: the engine's instrumentation then sees every statement)."""

    def __init__(self, engine: AsyncEngine, *, through_driver: bool = True) -> None:
        self._engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
        self._compiled = PostgresStatements()
        self._through_driver = through_driver and engine.dialect.driver == "asyncpg"

    async def begin(self, isolation_level: IsolationLevel | None = None) -> Transaction:
        if self._through_driver:
            return await AsyncpgTransaction.begin(
                self._engine, self._sessions, self._compiled, isolation_level
            )
        return await SessionTransaction.begin(self._sessions, isolation_level)


async def _live_connection(engine: AsyncEngine) -> tuple[AsyncConnection, Any]:
    """A pooled connection and the asyncpg connection under it, which the server has not closed.

    Statements here bypass the engine, so the engine cannot notice that the server went away (a
    restart, a failover) and refresh its pool, as it does for its own statements. A connection
    the server closed while it sat in the pool is thrown away, and the next one taken; the pool
    reconnects those it lost. So commands recover by themselves once the database is back.
    """
    pooled = getattr(engine.sync_engine.pool, "checkedin", lambda: 0)()
    for _ in range(pooled + 1):
        with database_errors_translated():
            connection = await engine.connect().start()
        # The pooled connection is already checked out: reading it needs no await (and so no
        # greenlet switch, as `get_raw_connection()` takes).
        sync_connection = connection.sync_connection
        assert sync_connection is not None  # started
        driver = sync_connection.connection.driver_connection
        if driver is not None and not driver.is_closed():
            return connection, driver
        await _discard(connection)
    raise UnavailableError(detail="every pooled connection was closed by the server")


async def _discard(connection: AsyncConnection) -> None:
    try:
        await connection.invalidate()
        await connection.close()
    except Exception:
        logger.warning("discarding a database connection failed", exc_info=True)
