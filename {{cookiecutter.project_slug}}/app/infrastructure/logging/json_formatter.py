"""One JSON object per line, for log shippers (production)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from app.infrastructure.logging.record_fields import ID_FIELDS, extra_fields, message_of
from app.infrastructure.observability.redaction import redact_text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": message_of(record),
        }
        for field in ID_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = redact_text(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = redact_text(self.formatStack(record.stack_info))
        entry.update(extra_fields(record))
        return json.dumps(entry, ensure_ascii=False, default=str)
