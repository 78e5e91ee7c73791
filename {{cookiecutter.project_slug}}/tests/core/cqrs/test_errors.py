from __future__ import annotations

import pytest

from app.core.cqrs import (
    NON_FIELD_ERRORS,
    AuthenticationRequiredError,
    ConcurrencyConflictError,
    ConflictError,
    CQRSConfigurationError,
    CQRSUsageError,
    DuplicateHandlerError,
    HandlerNotFoundError,
    NoActiveUnitOfWorkError,
    NotFoundError,
    OperationError,
    OperationStatus,
    PermissionDeniedError,
    ServiceUnavailableError,
    TransientError,
    ValidationError,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ValidationError({"email": "bad"}), OperationStatus.VALIDATION_ERROR),
        (AuthenticationRequiredError(), OperationStatus.UNAUTHENTICATED),
        (PermissionDeniedError(), OperationStatus.UNAUTHORIZED),
        (NotFoundError("User not found"), OperationStatus.NOT_FOUND),
        (ConflictError("Email in use"), OperationStatus.CONFLICT),
        (ConcurrencyConflictError(), OperationStatus.CONFLICT),
        (ServiceUnavailableError(), OperationStatus.UNAVAILABLE),
        (TransientError(), OperationStatus.UNAVAILABLE),
        (OperationError(), OperationStatus.FAILED),
    ],
)
def test_every_operation_error_names_its_status(
    error: OperationError, status: OperationStatus
) -> None:
    assert error.status is status


def test_an_operation_error_reports_its_message_as_a_non_field_error() -> None:
    assert NotFoundError("User not found").errors == {NON_FIELD_ERRORS: "User not found"}
    assert NotFoundError().errors == {NON_FIELD_ERRORS: "Not found"}


def test_a_validation_error_reports_its_field_errors() -> None:
    assert ValidationError({"email": "bad", "age": "low"}).errors == {"email": "bad", "age": "low"}


def test_a_concurrency_conflict_is_a_conflict_and_transient() -> None:
    assert issubclass(ConcurrencyConflictError, ConflictError)
    assert issubclass(ConcurrencyConflictError, TransientError)


@pytest.mark.parametrize(
    "usage_error",
    [HandlerNotFoundError, DuplicateHandlerError, CQRSConfigurationError, NoActiveUnitOfWorkError],
)
def test_usage_errors_are_runtime_errors_apart_from_operation_errors(usage_error: type) -> None:
    assert issubclass(usage_error, CQRSUsageError)
    assert issubclass(usage_error, RuntimeError)
    assert not issubclass(usage_error, OperationError)


def test_a_duplicate_handler_error_names_both_classes() -> None:
    class First: ...

    class Second: ...

    text = str(DuplicateHandlerError(int, First, Second))
    assert "First" in text
    assert "Second" in text
    assert "allow_handler_override" in text
