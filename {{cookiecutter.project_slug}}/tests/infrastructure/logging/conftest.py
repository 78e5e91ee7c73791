from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator

import pytest

from app.infrastructure.logging.setup import LogFormat, configure_logging

ConfigureLog = Callable[[LogFormat], io.StringIO]


@pytest.fixture
def configured_log() -> Iterator[ConfigureLog]:
    """Installs the app's handler writing to a buffer; the root logger is restored afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    server_loggers = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.error", "uvicorn.access")]
    saved_server = [(lg, list(lg.handlers), lg.propagate) for lg in server_loggers]

    def configure(log_format: LogFormat) -> io.StringIO:
        buffer = io.StringIO()
        configure_logging(level="DEBUG", log_format=log_format, stream=buffer)
        return buffer

    try:
        yield configure
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for server_logger, handlers, propagate in saved_server:
            server_logger.handlers[:] = handlers
            server_logger.propagate = propagate
