from __future__ import annotations

import logging

import pytest

from app.infrastructure.logging.operation_logging import OperationLoggingMiddleware
from tests.infrastructure.operation_doubles import Lookup, Rename, operations_bus


@pytest.fixture
def bus():
    bus = operations_bus()
    bus.add_middleware(OperationLoggingMiddleware())
    return bus


def records(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str, str]]:
    return [
        (record.levelno, record.getMessage().split(" in ")[0], getattr(record, "status", ""))
        for record in caplog.records
        if record.name == "app.operations"
    ]


async def test_a_success_is_logged_at_debug(bus, caplog):
    caplog.set_level(logging.DEBUG, logger="app.operations")

    await bus.execute_command(Rename("u1", "Ada"))
    await bus.execute_query(Lookup("u1"))

    assert records(caplog) == [
        (logging.DEBUG, "command Rename: success", "success"),
        (logging.DEBUG, "query Lookup: success", "success"),
    ]


async def test_expected_failures_are_info_and_failures_of_the_service_are_warnings(bus, caplog):
    caplog.set_level(logging.INFO, logger="app.operations")

    await bus.execute_command(Rename("u1", ""))
    await bus.execute_command(Rename("u1", "Ada", outcome="missing"))
    await bus.execute_command(Rename("u1", "Ada", outcome="crash"))
    await bus.execute_command(Rename("u1", "Ada", outcome="slow"))

    assert records(caplog) == [
        (logging.INFO, "command Rename: validation_error", "validation_error"),
        (logging.INFO, "command Rename: not_found", "not_found"),
        (logging.WARNING, "command Rename: failed", "failed"),
        (logging.WARNING, "command Rename: timeout", "timeout"),
    ]


async def test_successes_write_nothing_when_debug_is_off(bus, caplog):
    caplog.set_level(logging.INFO, logger="app.operations")

    await bus.execute_command(Rename("u1", "Ada"))

    assert records(caplog) == []
