"""Which SQLAlchemy unit of work is open in the current task, for repositories and publishers.

Repositories and publishers are long-lived objects built once by the container; they find the
transaction of the command being handled here rather than being rebuilt per request. A unit of
work makes itself active when it begins and steps back when it commits or rolls back. (The
core's `current_unit_of_work()` holds whatever the bus's factory returned, possibly a wrapper
such as the audited unit of work; this one always holds the SQLAlchemy unit of work itself.)
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.cqrs.errors import NoActiveUnitOfWorkError

if TYPE_CHECKING:
    from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWork

_active: ContextVar[SqlAlchemyUnitOfWork | None] = ContextVar("active_unit_of_work", default=None)


def active_unit_of_work() -> SqlAlchemyUnitOfWork:
    unit_of_work = _active.get()
    if unit_of_work is None:
        raise NoActiveUnitOfWorkError(
            "no unit of work is open here: write-side persistence runs inside a transaction "
            "(is the handler `@transactional`?)"
        )
    return unit_of_work


def current_session() -> AsyncSession:
    """The session of the unit of work open in this task."""
    return active_unit_of_work().session


def activate(unit_of_work: SqlAlchemyUnitOfWork) -> SqlAlchemyUnitOfWork | None:
    """Make `unit_of_work` the active one; return the one it replaces (for nesting)."""
    previous = _active.get()
    _active.set(unit_of_work)
    return previous


def deactivate(unit_of_work: SqlAlchemyUnitOfWork, previous: SqlAlchemyUnitOfWork | None) -> None:
    # Set rather than reset a token: commit may run in a task copied from the one that began.
    if _active.get() is unit_of_work:
        _active.set(previous)
