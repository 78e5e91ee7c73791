from __future__ import annotations

import pytest

from app.infrastructure.metrics.cqrs_middleware import CQRSMetricsMiddleware
from tests.infrastructure.metrics.samples import sample
from tests.infrastructure.operation_doubles import Lookup, Rename, operations_bus


@pytest.fixture
def bus():
    bus = operations_bus()
    bus.add_middleware(CQRSMetricsMiddleware())
    return bus


def command_total(status: str) -> float:
    return sample("cqrs_command_total", name="Rename", status=status)


def query_total(status: str) -> float:
    return sample("cqrs_query_total", name="Lookup", status=status)


def errors(error_type: str) -> float:
    return sample("cqrs_operation_errors_total", error_type=error_type)


async def test_commands_are_counted_by_name_and_status_and_timed(bus):
    before = command_total("success"), sample("cqrs_command_duration_seconds_count", name="Rename")

    await bus.execute_command(Rename("u1", "Ada"))
    await bus.execute_command(Rename("u1", "Grace"))

    after = command_total("success"), sample("cqrs_command_duration_seconds_count", name="Rename")
    assert (after[0] - before[0], after[1] - before[1]) == (2, 2)


async def test_queries_have_their_own_counter_and_histogram(bus):
    before = query_total("success"), sample("cqrs_query_duration_seconds_count", name="Lookup")

    await bus.execute_query(Lookup("u1"))

    after = query_total("success"), sample("cqrs_query_duration_seconds_count", name="Lookup")
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)
    assert sample("cqrs_query_duration_seconds_bucket", name="Lookup", le="+Inf") >= 1


async def test_a_raised_error_counts_its_status_and_its_exception_type(bus):
    before = command_total("not_found"), errors("NotFoundError")
    before_crash = command_total("failed"), errors("RuntimeError")

    await bus.execute_command(Rename("u1", "Ada", outcome="missing"))
    await bus.execute_command(Rename("u1", "Ada", outcome="crash"))

    assert (command_total("not_found") - before[0], errors("NotFoundError") - before[1]) == (1, 1)
    assert (
        command_total("failed") - before_crash[0],
        errors("RuntimeError") - before_crash[1],
    ) == (1, 1)


async def test_a_failed_result_without_an_exception_counts_under_its_status(bus):
    before = command_total("validation_error"), errors("validation_error")

    result = await bus.execute_command(Rename("u1", ""))

    assert result.status == "validation_error"
    assert command_total("validation_error") - before[0] == 1
    assert errors("validation_error") - before[1] == 1


async def test_a_timeout_is_counted_as_one(bus):
    before = command_total("timeout"), errors("TimeoutError")

    await bus.execute_command(Rename("u1", "Ada", outcome="slow"))

    assert (command_total("timeout") - before[0], errors("TimeoutError") - before[1]) == (1, 1)
