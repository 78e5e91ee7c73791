"""Readable lines for a developer's terminal: time, level, logger, ids, message, extras."""

from __future__ import annotations

import logging
from datetime import datetime

from app.infrastructure.logging.record_fields import extra_fields, message_of
from app.infrastructure.observability.redaction import redact_text

_SHORT_ID = 8  # enough to tell requests apart at a glance; JSON logs keep the whole id


class ConsoleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        timestamp = datetime.fromtimestamp(record.created).strftime("%H:%M:%S.%f")[:-3]
        parts = [timestamp, f"{record.levelname:<8}", record.name]
        request_id = getattr(record, "request_id", None)
        if request_id:
            parts.append(f"[{request_id[:_SHORT_ID]}]")
        parts.append(message_of(record))
        extras = extra_fields(record)
        operation_id = getattr(record, "operation_id", None)
        if operation_id:
            extras = {"operation_id": operation_id, **extras}
        if extras:
            parts.append(" ".join(f"{key}={value}" for key, value in extras.items()))
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + redact_text(self.formatException(record.exc_info))
        if record.stack_info:
            line += "\n" + redact_text(self.formatStack(record.stack_info))
        return line
