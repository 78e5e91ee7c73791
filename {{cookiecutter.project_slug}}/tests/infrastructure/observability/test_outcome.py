from __future__ import annotations

import pytest

from app.core.cqrs import (
    CommandResult,
    ConflictError,
    NotFoundError,
    OperationStatus,
    ServiceUnavailableError,
    ValidationError,
)
from app.infrastructure.observability.outcome import (
    error_type_for_exception,
    error_type_for_result,
    status_for_exception,
)


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (NotFoundError(), OperationStatus.NOT_FOUND),
        (ConflictError(), OperationStatus.CONFLICT),
        (ValidationError({"email": "invalid"}), OperationStatus.VALIDATION_ERROR),
        (ServiceUnavailableError(), OperationStatus.UNAVAILABLE),
        (TimeoutError(), OperationStatus.TIMEOUT),
        (KeyError("x"), OperationStatus.FAILED),
    ],
)
def test_exceptions_get_the_status_the_bus_will_report(exc, status):
    assert status_for_exception(exc) is status


def test_the_error_type_of_an_exception_is_its_class_name():
    assert error_type_for_exception(NotFoundError()) == "NotFoundError"


def test_the_error_type_of_a_failed_result_is_its_status():
    result: CommandResult[None] = CommandResult(OperationStatus.VALIDATION_ERROR)
    assert error_type_for_result(result) == "validation_error"
