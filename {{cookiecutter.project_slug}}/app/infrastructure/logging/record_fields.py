"""What a log record holds beyond the standard attributes: ids and `extra=` fields."""

from __future__ import annotations

import logging
from typing import Any

from app.infrastructure.observability.redaction import redact, redact_text
from app.infrastructure.observability.request_context import (
    current_operation_id,
    current_request_ids,
)

ID_FIELDS = ("request_id", "correlation_id", "operation_id")

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))
) | {"message", "asctime", "taskName", *ID_FIELDS}


class RequestContextFilter(logging.Filter):
    """Stamps each record with the ids bound where it was logged (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = current_request_ids()
        record.request_id = ids.request_id if ids is not None else None
        record.correlation_id = ids.correlation_id if ids is not None else None
        record.operation_id = current_operation_id()
        return True


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's `extra=` fields, secrets redacted, values made JSON-friendly."""
    extras = {key: value for key, value in vars(record).items() if key not in _STANDARD_ATTRIBUTES}
    return {key: _json_friendly(value) for key, value in redact(extras).items()}


def _json_friendly(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {str(key): _json_friendly(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_friendly(item) for item in value]
    return redact_text(str(value))


def message_of(record: logging.LogRecord) -> str:
    """The formatted message with secrets redacted; a broken format string is not an error."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        message = f"{record.msg!s} {record.args!r}"
    return redact_text(message)
