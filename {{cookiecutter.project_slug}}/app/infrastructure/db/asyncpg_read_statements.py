"""Read statements on PostgreSQL, run straight on an asyncpg pool.

Each statement is compiled once (`postgres_statements`); a query is then one `fetchrow` or
`fetch` on a pooled connection, without the engine, its greenlet and its `Result` in between,
which cost more than half the CPU of an uncached get-by-id. Connections autocommit, as the read
engine's do, and connect with the options the engine would use for the same URL.

The pool
- opens on first use, and without connecting: a database that is down at start-up does not
  stop the app; queries answer 503 until it is back;
- holds up to `DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW` connections, the read engine's
  ceiling, and closes those left idle for five minutes (asyncpg's default);
- lends a connection within `DATABASE_POOL_TIMEOUT_SECONDS`, connecting included, or the query
  fails as unavailable;
- replaces a connection the server has closed when it is next acquired, and retries a read
  once when its connection turns out to be dead only on use, so reads recover by themselves
  once the database is back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import Select, make_url
from sqlalchemy.dialects.postgresql import asyncpg as postgresql_asyncpg

from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.db.pool_turns import PoolTurns
from app.infrastructure.db.postgres_statements import PostgresStatements
from app.infrastructure.db.read_statements import NO_PARAMETERS, ReadRow
from app.settings import Settings

# What a connection that died in the pool raises when next used.
_BROKEN_CONNECTION = (
    asyncpg.InternalClientError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    ConnectionError,
)

# URL options SQLAlchemy's asyncpg dialect keeps for itself rather than pass to asyncpg.
_SQLALCHEMY_OPTIONS = ("prepared_statement_cache_size", "async_fallback")


class AsyncpgReadStatements:
    def __init__(
        self,
        connect_options: Mapping[str, Any],
        *,
        max_size: int,
        timeout_seconds: float,
        server_settings: Mapping[str, str],
    ) -> None:
        self.statements = PostgresStatements()
        self._connect_options = dict(connect_options)
        self._max_size = max_size
        self._timeout = timeout_seconds
        self._server_settings = dict(server_settings)
        self._pool: Any = None  # asyncpg.Pool; made inside the event loop, which it binds to
        self._opening = asyncio.Lock()
        # At most `max_size` turns out: the pool has a connection for whoever holds one.
        self._turns = PoolTurns(max_size, timeout_seconds=timeout_seconds)

    @classmethod
    def from_settings(cls, settings: Settings) -> AsyncpgReadStatements:
        return cls(
            asyncpg_connect_options(settings.effective_read_database_url),
            max_size=settings.database_pool_size + settings.database_max_overflow,
            timeout_seconds=settings.database_pool_timeout_seconds,
            server_settings={"application_name": settings.app_name},
        )

    async def fetch_one(
        self, statement: Select[Any], params: Mapping[str, Any] = NO_PARAMETERS
    ) -> ReadRow | None:
        compiled = self.statements[statement]
        record = await self._run("fetchrow", *compiled.arguments(params))
        return None if record is None else compiled.row(record)

    async def fetch_all(
        self, statement: Select[Any], params: Mapping[str, Any] = NO_PARAMETERS
    ) -> Sequence[ReadRow]:
        compiled = self.statements[statement]
        records = await self._run("fetch", *compiled.arguments(params))
        return [compiled.row(record) for record in records]

    async def fetch_value(
        self, statement: Select[Any], params: Mapping[str, Any] = NO_PARAMETERS
    ) -> Any:
        compiled = self.statements[statement]
        # A row, not `fetchval`: "no row" and NULL stay apart, as in the engine's `scalar()`,
        # which processes a NULL (a `TypeDecorator` may map it), not "no row".
        record = await self._run("fetchrow", *compiled.arguments(params))
        return None if record is None else compiled.row(record)[0]

    async def _run(self, method: str, sql: str, arguments: Sequence[Any]) -> Any:
        """`connection.<method>(sql, *arguments)` on a pooled connection.

        A connection the server dropped while it sat in the pool (a restart, a failover, an
        idle timeout) may only show it when used, and not always as a clean error: asyncpg can
        report a confused protocol state instead. Such a connection is thrown away and the
        read, a single SELECT and so safe to repeat, runs once more on a fresh one.
        """
        with database_errors_translated():
            pool = self._pool if self._pool is not None else await self._open()
            await self._turns.take()
            try:
                for attempt in (1, 2):
                    # No wait here with a turn held, but for connecting (the pool's timeout).
                    async with pool.acquire() as connection:
                        try:
                            return await getattr(connection, method)(sql, *arguments)
                        except _BROKEN_CONNECTION:
                            connection.terminate()
                            if attempt == 2:
                                raise
            finally:
                self._turns.give_back()
        raise AssertionError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        """Close the pool, once its connections are back; a later query opens a new one."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    async def _open(self) -> Any:
        async with self._opening:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    **self._connect_options,
                    # None at first: start-up must not depend on the database being up.
                    min_size=0,
                    max_size=self._max_size,
                    # Bounds connecting, as the engines' `connect_args` do.
                    timeout=self._timeout,
                    server_settings=self._server_settings,
                    reset=_nothing_to_reset,
                )
            return self._pool


async def _nothing_to_reset(connection: Any) -> None:
    """Skip asyncpg's reset query on release, a round trip per query.

    These connections only ever run single SELECTs in autocommit: they hold no session state,
    locks or listeners to undo (asyncpg still rolls back a transaction left open).
    """


def asyncpg_connect_options(database_url: str) -> dict[str, Any]:
    """What `asyncpg.connect` gets for this URL from SQLAlchemy's asyncpg dialect.

    Host, port, credentials and database, and the URL's query options as keywords (`?ssl=require`
    included, which asyncpg's own DSN parsing would send to the server as a setting). The
    dialect's statement cache size becomes asyncpg's, which caches these statements instead.
    """
    dialect = postgresql_asyncpg.dialect()  # type: ignore[no-untyped-call]
    _, options = dialect.create_connect_args(make_url(database_url))  # type: ignore[no-untyped-call]
    cache_size = options.get("prepared_statement_cache_size")
    options = {key: value for key, value in options.items() if key not in _SQLALCHEMY_OPTIONS}
    if cache_size is not None:
        options.setdefault("statement_cache_size", cache_size)
    return options
