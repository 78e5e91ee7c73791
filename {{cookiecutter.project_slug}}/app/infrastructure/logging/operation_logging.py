"""A bus middleware writing one log line per command and query.

Success is DEBUG (off in production by default, and then it costs one level check). An expected
failure (validation, not found, conflict, ...) is INFO; a failure of the service itself
(unexpected exception, timeout, unavailable dependency) is WARNING. Unexpected exceptions are
logged with their traceback by the bus itself; this line adds the name, status and duration.
"""

from __future__ import annotations

import logging
from time import perf_counter
from typing import Any, TypeVar

from app.core.cqrs import BusMiddleware, Message, NextHandler, OperationResult, OperationStatus
from app.infrastructure.observability.outcome import SERVER_FAULTS, status_for_exception

ResultT = TypeVar("ResultT", bound=OperationResult[Any])

logger = logging.getLogger("app.operations")


class OperationLoggingMiddleware(BusMiddleware):
    async def __call__(self, operation: Message, next_handler: NextHandler[ResultT]) -> ResultT:
        started = perf_counter()
        try:
            result = await next_handler()
        except Exception as exc:
            _log(operation, status_for_exception(exc), perf_counter() - started)
            raise
        if result.status is not OperationStatus.SUCCESS or logger.isEnabledFor(logging.DEBUG):
            _log(operation, result.status, perf_counter() - started)
        return result


def _log(operation: Message, status: OperationStatus, elapsed: float) -> None:
    if status is OperationStatus.SUCCESS:
        level = logging.DEBUG
    elif status in SERVER_FAULTS:
        level = logging.WARNING
    else:
        level = logging.INFO
    kind = operation.message_kind.value
    name = operation.message_name()
    logger.log(
        level,
        "%s %s: %s in %.1f ms",
        kind,
        name,
        status.value,
        elapsed * 1000,
        extra={"operation_kind": kind, "operation_name": name, "status": status.value},
    )
