from __future__ import annotations

import logging

from app.infrastructure.observability.request_context import (
    RequestIds,
    bind_request_ids,
    unbind_request_ids,
)

logger = logging.getLogger("tests.console")


def test_a_line_reads_time_level_logger_short_request_id_message_and_extras(configured_log):
    buffer = configured_log("console")
    token = bind_request_ids(RequestIds(request_id="0123456789abcdef", correlation_id="c"))
    try:
        logger.info("created user %s", "ada", extra={"role": "admin"})
    finally:
        unbind_request_ids(token)

    line = buffer.getvalue().strip()
    assert " INFO " in line
    assert "tests.console [01234567] created user ada role=admin" in line


def test_secrets_are_redacted_in_development_too(configured_log):
    buffer = configured_log("console")

    try:
        raise ValueError("bad secret=abc123")
    except ValueError:
        logger.exception("failed", extra={"password": "hunter2"})

    output = buffer.getvalue()
    assert "abc123" not in output
    assert "hunter2" not in output
    assert "Traceback" in output
