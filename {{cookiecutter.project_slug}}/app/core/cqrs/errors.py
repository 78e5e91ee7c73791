"""Errors of the CQRS core, in two families that never mix.

Operation errors are outcomes. Handlers raise them; the bus turns each into a failed result
with its status, so they never reach the caller as exceptions::

    OperationError                       (FAILED)
    ├── ValidationError(errors)          VALIDATION_ERROR
    ├── AuthenticationRequiredError      UNAUTHENTICATED
    ├── PermissionDeniedError            UNAUTHORIZED
    ├── NotFoundError                    NOT_FOUND
    ├── ConflictError                    CONFLICT
    │   └── ConcurrencyConflictError     CONFLICT     (also a TransientError)
    └── TransientError                   UNAVAILABLE  (retried by @retry_on_failure by default)
        ├── ServiceUnavailableError      UNAVAILABLE
        └── ConcurrencyConflictError

Outside the tree, `TimeoutError` becomes TIMEOUT and any other exception FAILED with a generic
message (the exception itself is logged, never shown).

Usage errors are bugs in the calling code. They are raised, not turned into results::

    CQRSUsageError (RuntimeError)
    ├── HandlerNotFoundError             no handler registered for a message type
    ├── DuplicateHandlerError            two different handlers for one message type
    ├── CQRSConfigurationError           a decorator, registration or middleware used wrongly
    └── NoActiveUnitOfWorkError          events published outside a transaction
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from app.core.cqrs.results import NON_FIELD_ERRORS, OperationStatus


class OperationError(Exception):
    """An expected way for an operation to fail; its message is safe to show to the caller."""

    status: ClassVar[OperationStatus] = OperationStatus.FAILED
    default_message: ClassVar[str] = "The operation failed"

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    @property
    def errors(self) -> Mapping[str, str]:
        return {NON_FIELD_ERRORS: self.message}


class ValidationError(OperationError):
    status = OperationStatus.VALIDATION_ERROR
    default_message = "The request is invalid"

    def __init__(self, errors: Mapping[str, str], message: str | None = None) -> None:
        super().__init__(message)
        self._errors = dict(errors)

    @property
    def errors(self) -> Mapping[str, str]:
        return self._errors


class AuthenticationRequiredError(OperationError):
    status = OperationStatus.UNAUTHENTICATED
    default_message = "Authentication is required"


class PermissionDeniedError(OperationError):
    status = OperationStatus.UNAUTHORIZED
    default_message = "Permission denied"


class NotFoundError(OperationError):
    status = OperationStatus.NOT_FOUND
    default_message = "Not found"


class ConflictError(OperationError):
    status = OperationStatus.CONFLICT
    default_message = "The request conflicts with the current state"


class TransientError(OperationError):
    """A failure that may not happen again: worth a retry."""

    status = OperationStatus.UNAVAILABLE
    default_message = "The service is temporarily unavailable"


class ServiceUnavailableError(TransientError):
    """A database, cache or remote service could not be reached."""


class ConcurrencyConflictError(ConflictError, TransientError):
    """Lost a race with a concurrent write (serialization failure, deadlock, stale version)."""

    status = OperationStatus.CONFLICT
    default_message = "The data was changed concurrently; try again"


class CQRSUsageError(RuntimeError):
    """The CQRS API was used wrongly: a bug to fix, not an outcome to report."""


class HandlerNotFoundError(CQRSUsageError, LookupError):
    def __init__(self, message_type: type) -> None:
        super().__init__(
            f"No handler is registered for {message_type.__module__}.{message_type.__qualname__}"
        )
        self.message_type = message_type


class DuplicateHandlerError(CQRSUsageError):
    def __init__(self, message_type: type, first: type, second: type) -> None:
        super().__init__(
            f"{message_type.__qualname__} has two handlers: {_qualified(first)} and "
            f"{_qualified(second)}; remove one, or build the bus with "
            f"allow_handler_override=True to let the last registered win"
        )
        self.message_type = message_type
        self.handler_classes = (first, second)


class CQRSConfigurationError(CQRSUsageError):
    pass


class NoActiveUnitOfWorkError(CQRSUsageError):
    pass


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
