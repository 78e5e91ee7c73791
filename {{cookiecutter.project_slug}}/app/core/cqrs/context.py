"""Task-local state the bus shares with code running inside an operation."""

from __future__ import annotations

from contextvars import ContextVar, Token

from app.core.cqrs.errors import NoActiveUnitOfWorkError
from app.core.cqrs.ports import UnitOfWork

_current_unit_of_work: ContextVar[UnitOfWork | None] = ContextVar(
    "cqrs_current_unit_of_work", default=None
)


def current_unit_of_work() -> UnitOfWork | None:
    """The unit of work opened by `@transactional` around the running handler, if any."""
    return _current_unit_of_work.get()


def require_unit_of_work() -> UnitOfWork:
    """Like `current_unit_of_work`, for code that must not run outside a transaction."""
    unit_of_work = _current_unit_of_work.get()
    if unit_of_work is None:
        raise NoActiveUnitOfWorkError(
            "No unit of work is open: run this from a handler decorated with @transactional()"
        )
    return unit_of_work


def bind_unit_of_work(unit_of_work: UnitOfWork | None) -> Token[UnitOfWork | None]:
    """Make `unit_of_work` current; pass the returned token to `unbind_unit_of_work`."""
    return _current_unit_of_work.set(unit_of_work)


def unbind_unit_of_work(token: Token[UnitOfWork | None]) -> None:
    _current_unit_of_work.reset(token)
