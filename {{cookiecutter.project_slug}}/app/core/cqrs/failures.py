"""How an exception raised while running an operation becomes a failed result."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from app.core.cqrs.errors import OperationError
from app.core.cqrs.messages import Message
from app.core.cqrs.results import NON_FIELD_ERRORS, OperationStatus

_logger = logging.getLogger("app.core.cqrs")

TIMEOUT_MESSAGE = "The operation did not finish in time"
UNEXPECTED_MESSAGE = "The operation failed unexpectedly"


def failure_for(exc: Exception, message: Message) -> tuple[OperationStatus, Mapping[str, str]]:
    """The status and errors to report for `exc`; unexpected exceptions are logged here."""
    if isinstance(exc, OperationError):
        return exc.status, exc.errors
    if isinstance(exc, TimeoutError):
        _logger.warning("%s %s timed out", message.message_kind, message.message_name())
        return OperationStatus.TIMEOUT, {NON_FIELD_ERRORS: TIMEOUT_MESSAGE}
    metadata = message._metadata
    _logger.error(
        "%s %s failed unexpectedly (operation %s)",
        message.message_kind,
        message.message_name(),
        metadata.operation_id if metadata is not None else "-",
        exc_info=exc,
    )
    # The exception's text may hold internals (SQL, paths, secrets): callers get a generic one.
    return OperationStatus.FAILED, {NON_FIELD_ERRORS: UNEXPECTED_MESSAGE}
