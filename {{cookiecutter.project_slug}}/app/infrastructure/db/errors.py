"""Database failures, translated at the infrastructure edge into the core's operation errors.

Nothing above infrastructure catches SQLAlchemy or driver exceptions. Three kinds matter, each
also a `PersistenceError` so infrastructure code can tell them apart from other outcomes:

- `ConflictError` (core `ConflictError`, 409): the write contradicts committed state, such as a
  taken unique key. Running it again fails the same way.
- `RetryableError` (core `ConcurrencyConflictError`: 409, and retried by `@retry_on_failure`):
  the database gave up on this transaction (serialization failure, deadlock, SQLite busy) or a
  stale optimistic version was written (`StaleVersionError`); the command may succeed if run
  again from the start.
- `UnavailableError` (core `ServiceUnavailableError`, 503): the database cannot be reached or
  the pool lent no connection within its timeout.

Every engine built by `app.infrastructure.db.engines` raises these from any statement or
connection attempt (`translate_engine_errors`), whoever runs it: repositories, handlers using the
unit of work's connection, projections. A pool timeout happens before any statement, so code
that takes connections wraps that step in `database_errors_translated()`.

Their messages are safe to show to a client; the database's own wording stays on `detail` and
on the chained cause, for the logs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, exc
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.cqrs import errors as core

# PostgreSQL SQLSTATEs: serialization_failure, deadlock_detected.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
# Connection exceptions (08), insufficient resources (53), operator intervention (57P).
_UNAVAILABLE_SQLSTATE_PREFIXES = ("08", "53", "57P")
_INTEGRITY_SQLSTATE_PREFIX = "23"
_SQLITE_RETRYABLE = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})
_SQLITE_UNAVAILABLE = frozenset({"SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL"})


class PersistenceError(Exception):
    """A database failure the application understands; `detail` is for logs, not clients."""

    def __init__(self, message: str | None = None, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class ConflictError(PersistenceError, core.ConflictError):
    """The write contradicts committed state: a unique key is taken, a reference is missing."""

    default_message = "The change conflicts with existing data"


class RetryableError(PersistenceError, core.ConcurrencyConflictError):
    """The database rolled the transaction back; running the command again may succeed."""


class StaleVersionError(RetryableError):
    """Someone else changed the record since it was loaded (optimistic concurrency)."""


class UnavailableError(PersistenceError, core.ServiceUnavailableError):
    """The database is out of reach, or no pooled connection came free in time."""

    default_message = "The database is unavailable"


def translate_error(error: BaseException) -> PersistenceError | None:
    """The persistence error `error` stands for, or None when it is not a database failure."""
    if isinstance(error, PersistenceError):
        return error
    if isinstance(error, exc.TimeoutError):
        return UnavailableError(detail="no connection came free within the pool timeout")
    if isinstance(error, exc.IntegrityError):
        return ConflictError(detail=_describe(error))
    if isinstance(error, exc.DBAPIError):
        return _translate_dbapi_error(error)
    if isinstance(error, TimeoutError):
        # Connecting timed out.
        return UnavailableError(detail="timed out waiting for a database connection")
    if isinstance(error, OSError):
        # Raised by drivers before a connection exists: refused, unreachable.
        return UnavailableError(detail=f"cannot connect: {error}")
    return None


def translate_engine_errors(engine: AsyncEngine) -> None:
    """Make the engine raise `PersistenceError`s instead of SQLAlchemy and driver errors."""

    @event.listens_for(engine.sync_engine, "handle_error")
    def _translate(context: ExceptionContext) -> BaseException | None:
        if context.is_pre_ping:
            return None  # the pool needs the driver's own error to detect a dead connection
        return translate_error(context.sqlalchemy_exception or context.original_exception)


@contextmanager
def database_errors_translated() -> Iterator[None]:
    """Re-raise database failures inside the block as `PersistenceError`s."""
    try:
        yield
    except Exception as error:
        translated = translate_error(error)
        if translated is None or translated is error:
            raise
        raise translated from error


def _translate_dbapi_error(error: exc.DBAPIError) -> PersistenceError | None:
    translated = _translate_sqlstate(getattr(error.orig, "sqlstate", None), _describe(error.orig))
    if translated is not None:
        return translated
    if isinstance(error.orig, sqlite3.Error):
        # Extended codes (SQLITE_BUSY_SNAPSHOT) belong to their primary code (SQLITE_BUSY).
        base_name = "_".join(getattr(error.orig, "sqlite_errorname", "").split("_", 2)[:2])
        if base_name in _SQLITE_RETRYABLE:
            return RetryableError(detail=_describe(error.orig))
        if base_name in _SQLITE_UNAVAILABLE:
            return UnavailableError(detail=_describe(error.orig))
    if error.connection_invalidated:
        return UnavailableError(detail=_describe(error.orig))
    return None


def _translate_sqlstate(sqlstate: object, detail: str) -> PersistenceError | None:
    if not isinstance(sqlstate, str):
        return None
    if sqlstate in _RETRYABLE_SQLSTATES:
        return RetryableError(detail=detail)
    if sqlstate.startswith(_UNAVAILABLE_SQLSTATE_PREFIXES):
        return UnavailableError(detail=detail)
    if sqlstate.startswith(_INTEGRITY_SQLSTATE_PREFIX):
        return ConflictError(detail=detail)
    return None


def _describe(error: BaseException | None) -> str:
    return str(error).strip() or type(error).__name__
