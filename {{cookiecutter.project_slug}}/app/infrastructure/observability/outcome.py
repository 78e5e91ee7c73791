"""How an operation ended, as observability reports it.

The bus turns exceptions into failed results only after every bus middleware has run, so a
middleware sees either a result or the exception itself. These functions give both the same
vocabulary: the `OperationStatus` the caller will receive, and a bounded `error_type` label.
"""

from __future__ import annotations

from app.core.cqrs import OperationError, OperationResult, OperationStatus

# Statuses that mean the service, not the caller, is at fault: spans are marked as errors and
# logs are warnings for these; the others are expected outcomes of bad or unlucky requests.
SERVER_FAULTS: frozenset[OperationStatus] = frozenset(
    {OperationStatus.FAILED, OperationStatus.TIMEOUT, OperationStatus.UNAVAILABLE}
)


def status_for_exception(exc: BaseException) -> OperationStatus:
    """The status the bus reports for `exc` (see `app.core.cqrs.failures`)."""
    if isinstance(exc, OperationError):
        return exc.status
    if isinstance(exc, TimeoutError):
        return OperationStatus.TIMEOUT
    return OperationStatus.FAILED


def error_type_for_exception(exc: BaseException) -> str:
    """The exception's class name: bounded by the code base, so safe as a metric label."""
    return type(exc).__name__


def error_type_for_result(result: OperationResult[object]) -> str:
    """A failed result that no exception produced (validation, an expected rollback): its status."""
    return result.status.value
