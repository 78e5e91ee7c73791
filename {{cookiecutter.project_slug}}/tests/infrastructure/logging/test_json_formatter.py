from __future__ import annotations

import json
import logging

from app.infrastructure.observability.redaction import REDACTED
from app.infrastructure.observability.request_context import (
    RequestIds,
    bind_operation_id,
    bind_request_ids,
    unbind_operation_id,
    unbind_request_ids,
)

logger = logging.getLogger("tests.json")


def lines(buffer) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_each_record_is_one_json_object_with_level_logger_message_and_time(configured_log):
    buffer = configured_log("json")

    logger.info("user %s signed in", "ada")

    [entry] = lines(buffer)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "tests.json"
    assert entry["message"] == "user ada signed in"
    assert str(entry["timestamp"]).endswith("+00:00")


def test_lines_written_during_a_request_and_an_operation_carry_their_ids(configured_log):
    buffer = configured_log("json")
    request_token = bind_request_ids(RequestIds(request_id="req-7", correlation_id="corr-7"))
    operation_token = bind_operation_id("op-7")
    try:
        logger.warning("inside")
    finally:
        unbind_operation_id(operation_token)
        unbind_request_ids(request_token)
    logger.warning("outside")

    inside, outside = lines(buffer)
    assert (inside["request_id"], inside["correlation_id"], inside["operation_id"]) == (
        "req-7",
        "corr-7",
        "op-7",
    )
    assert not {"request_id", "correlation_id", "operation_id"} & set(outside)


def test_extra_fields_are_included_with_secrets_redacted(configured_log):
    buffer = configured_log("json")

    logger.info(
        "login attempt",
        extra={"email": "ada@example.com", "password": "hunter2", "context": {"token": "t"}},
    )

    [entry] = lines(buffer)
    assert entry["email"] == "ada@example.com"
    assert entry["password"] == REDACTED
    assert entry["context"] == {"token": REDACTED}


def test_secrets_in_messages_and_tracebacks_are_redacted(configured_log):
    buffer = configured_log("json")

    try:
        raise RuntimeError("connect failed: postgresql://app:s3cr3t@db/app password=hunter2")
    except RuntimeError:
        logger.exception("query failed with api_key=%s", "k-999")

    output = buffer.getvalue()
    assert "s3cr3t" not in output
    assert "hunter2" not in output
    assert "k-999" not in output
    [entry] = lines(buffer)
    assert "RuntimeError" in str(entry["exception"])
