"""The step behind `@transactional`: one unit of work around the handler.

The unit of work commits only when the handler returns a successful result. Any exception,
and any failed result, rolls it back, so a failed command leaves no partial write. Exception
types named in `rollback_on` are declared as expected outcomes of the handler: they are rolled
back and reported as a failed result (an `OperationError`'s own status, otherwise CONFLICT,
with the exception's message) instead of being logged as an unexpected failure. A transactional
handler called while a unit of work is already open (a nested dispatch) joins it: the outer
transaction commits or rolls back both.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from app.core.cqrs.context import bind_unit_of_work, current_unit_of_work, unbind_unit_of_work
from app.core.cqrs.errors import OperationError
from app.core.cqrs.messages import Message
from app.core.cqrs.options import TransactionOptions
from app.core.cqrs.ports import UnitOfWork, UnitOfWorkFactory
from app.core.cqrs.results import NON_FIELD_ERRORS, CommandResult, OperationResult, OperationStatus
from app.core.cqrs.types import Step

_logger = logging.getLogger(__name__)


class TransactionStep:
    label: ClassVar[str] = "transaction"
    __slots__ = ("_factory", "_options", "_result_type", "next_step")

    def __init__(
        self,
        next_step: Step[OperationResult[Any]],
        factory: UnitOfWorkFactory,
        options: TransactionOptions,
        result_type: type[OperationResult[Any]],
    ) -> None:
        self.next_step = next_step
        self._factory = factory
        self._options = options
        self._result_type = result_type

    async def __call__(self, message: Message) -> OperationResult[Any]:
        if current_unit_of_work() is not None:
            return await self.next_step(message)
        unit_of_work = await self._factory.begin(isolation_level=self._options.isolation_level)
        token = bind_unit_of_work(unit_of_work)
        try:
            result = await self.next_step(message)
        except self._options.rollback_on as exc:
            await _roll_back(unit_of_work)
            return self._expected_failure(exc)
        except BaseException:
            await _roll_back(unit_of_work)
            raise
        finally:
            unbind_unit_of_work(token)
        if not result.is_success:
            await _roll_back(unit_of_work)
            return result
        try:
            await unit_of_work.commit()
        except BaseException:
            await _roll_back(unit_of_work)
            raise
        if isinstance(result, CommandResult):
            result.event_position = unit_of_work.last_event_position
        return result

    def _expected_failure(self, exc: BaseException) -> OperationResult[Any]:
        if isinstance(exc, OperationError):
            return self._result_type(exc.status, errors=exc.errors)
        message = str(exc) or type(exc).__name__
        return self._result_type(OperationStatus.CONFLICT, errors={NON_FIELD_ERRORS: message})


async def _roll_back(unit_of_work: UnitOfWork) -> None:
    # A failing rollback must not hide the error that caused it.
    try:
        await unit_of_work.rollback()
    except Exception:
        _logger.exception("Rolling back a unit of work failed")
