"""A bus middleware recording every command and query in the ADR-020 metrics."""

from __future__ import annotations

from time import perf_counter
from typing import Any, TypeVar

from prometheus_client import Counter, Histogram

from app.core.cqrs import (
    BusMiddleware,
    Message,
    MessageKind,
    NextHandler,
    OperationResult,
    OperationStatus,
)
from app.infrastructure.metrics.cqrs import (
    CQRS_COMMAND_DURATION,
    CQRS_COMMANDS,
    CQRS_OPERATION_ERRORS,
    CQRS_QUERIES,
    CQRS_QUERY_DURATION,
)
from app.infrastructure.observability.outcome import (
    error_type_for_exception,
    error_type_for_result,
    status_for_exception,
)

ResultT = TypeVar("ResultT", bound=OperationResult[Any])

_SUCCESS = OperationStatus.SUCCESS
_TOTALS = {MessageKind.COMMAND: CQRS_COMMANDS, MessageKind.QUERY: CQRS_QUERIES}
_DURATIONS = {MessageKind.COMMAND: CQRS_COMMAND_DURATION, MessageKind.QUERY: CQRS_QUERY_DURATION}


class CQRSMetricsMiddleware(BusMiddleware):
    def __init__(self) -> None:
        # Label look-ups cost more than the increments: keep the series, keyed by message type.
        self._totals: dict[tuple[type[Message], OperationStatus], Counter] = {}
        self._durations: dict[type[Message], Histogram] = {}
        self._errors: dict[str, Counter] = {}

    async def __call__(self, operation: Message, next_handler: NextHandler[ResultT]) -> ResultT:
        started = perf_counter()
        try:
            result = await next_handler()
        except Exception as exc:
            self._record(operation, status_for_exception(exc), perf_counter() - started)
            self._error(error_type_for_exception(exc))
            raise
        self._record(operation, result.status, perf_counter() - started)
        if result.status is not _SUCCESS:
            self._error(error_type_for_result(result))
        return result

    def _record(self, operation: Message, status: OperationStatus, elapsed: float) -> None:
        message_type = type(operation)
        total = self._totals.get((message_type, status))
        if total is None:
            total = _TOTALS[operation.message_kind].labels(
                name=operation.message_name(), status=status.value
            )
            self._totals[(message_type, status)] = total
        total.inc()
        duration = self._durations.get(message_type)
        if duration is None:
            duration = _DURATIONS[operation.message_kind].labels(name=operation.message_name())
            self._durations[message_type] = duration
        duration.observe(elapsed)

    def _error(self, error_type: str) -> None:
        errors = self._errors.get(error_type)
        if errors is None:
            errors = CQRS_OPERATION_ERRORS.labels(error_type=error_type)
            self._errors[error_type] = errors
        errors.inc()
