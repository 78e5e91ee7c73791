"""A bus middleware giving every command and query its own span.

The span is a child of whatever span is current when the bus is called: the HTTP request's
server span for an API call. Its name is `command RenameUser` / `query GetUser`; its attributes
carry the kind, name, operation id, correlation id and result status. Only failures of the
service itself (unexpected exception, timeout, unavailable) mark it as an error: a validation
error or a not-found is an expected outcome, as a 4xx is on a server span. An exception's
message and stack trace are recorded with secrets redacted, like log lines.
"""

from __future__ import annotations

import traceback
from typing import Any, TypeVar

from opentelemetry.trace import Span, Status, StatusCode, Tracer

from app.core.cqrs import BusMiddleware, Message, NextHandler, OperationResult, OperationStatus
from app.infrastructure.observability.outcome import SERVER_FAULTS, status_for_exception
from app.infrastructure.observability.redaction import redact_text

ResultT = TypeVar("ResultT", bound=OperationResult[Any])


class CQRSTracingMiddleware(BusMiddleware):
    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer

    async def __call__(self, operation: Message, next_handler: NextHandler[ResultT]) -> ResultT:
        kind = operation.message_kind.value
        name = operation.message_name()
        metadata = operation.metadata
        attributes = {
            "cqrs.kind": kind,
            "cqrs.name": name,
            "cqrs.operation_id": metadata.operation_id,
        }
        if metadata.correlation_id is not None:
            attributes["cqrs.correlation_id"] = metadata.correlation_id
        with self._tracer.start_as_current_span(
            f"{kind} {name}",
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            try:
                result = await next_handler()
            except Exception as exc:
                span.record_exception(exc, attributes=_redacted_exception(exc))
                span.set_attribute("error.type", type(exc).__name__)
                _set_status(span, status_for_exception(exc))
                raise
            _set_status(span, result.status)
            return result


def _redacted_exception(exc: Exception) -> dict[str, str]:
    """The message and stack trace the span event would carry, with secrets hidden."""
    return {
        "exception.message": redact_text(str(exc)),
        "exception.stacktrace": redact_text("".join(traceback.format_exception(exc))),
    }


def _set_status(span: Span, status: OperationStatus) -> None:
    span.set_attribute("cqrs.status", status.value)
    if status in SERVER_FAULTS:
        span.set_status(Status(StatusCode.ERROR, status.value))
