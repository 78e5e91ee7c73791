"""Installing the application's log handler on the root logger.

Safe to call more than once (each app built in a test calls it): the previous handler installed
here is replaced, and handlers installed by others (pytest's capture, say) are left alone.
uvicorn's own loggers are routed through the same handler, so its lines carry the request id
and share the format.
"""

from __future__ import annotations

import logging
import sys
from typing import Literal, TextIO

from app.infrastructure.logging.console_formatter import ConsoleFormatter
from app.infrastructure.logging.json_formatter import JsonFormatter
from app.infrastructure.logging.record_fields import RequestContextFilter

LogFormat = Literal["json", "console"]

_SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


class _AppLogHandler(logging.StreamHandler[TextIO]):
    """Marks the handler this module installed, so a second call can find and replace it."""


def default_log_format(environment: str) -> LogFormat:
    return "json" if environment == "production" else "console"


def configure_logging(*, level: str, log_format: LogFormat, stream: TextIO | None = None) -> None:
    handler = _AppLogHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else ConsoleFormatter())
    handler.addFilter(RequestContextFilter())

    root = logging.getLogger()
    for existing in [h for h in root.handlers if isinstance(h, _AppLogHandler)]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())

    for name in _SERVER_LOGGERS:
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()
        server_logger.propagate = True
