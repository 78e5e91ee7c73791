from __future__ import annotations

import pytest
from opentelemetry.trace import StatusCode

from app.infrastructure.tracing.setup import TRACER_NAME
from tests.infrastructure.operation_doubles import Lookup, Rename, operations_bus


@pytest.fixture
def bus(tracing):
    bus = operations_bus()
    bus.add_middleware(tracing.bus_middleware())
    return bus


async def test_each_command_and_query_gets_a_span_named_by_kind_and_name(bus, spans):
    command = Rename("u1", "Ada")
    command.metadata.correlation_id = "corr-1"

    await bus.execute_command(command)
    await bus.execute_query(Lookup("u1"))

    command_span, query_span = spans.get_finished_spans()
    assert command_span.name == "command Rename"
    assert query_span.name == "query Lookup"
    assert command_span.attributes == {
        "cqrs.kind": "command",
        "cqrs.name": "Rename",
        "cqrs.operation_id": command.metadata.operation_id,
        "cqrs.correlation_id": "corr-1",
        "cqrs.status": "success",
    }
    assert command_span.instrumentation_scope.name == TRACER_NAME
    assert command_span.status.status_code is StatusCode.UNSET


async def test_a_span_is_a_child_of_the_span_current_at_dispatch(bus, spans, tracing):
    tracer = tracing.provider.get_tracer("tests")
    with tracer.start_as_current_span("request") as request_span:
        await bus.execute_command(Rename("u1", "Ada"))

    operation_span, parent = spans.get_finished_spans()
    assert operation_span.parent is not None
    assert operation_span.parent.span_id == request_span.get_span_context().span_id
    assert operation_span.context.trace_id == parent.context.trace_id


async def test_expected_failures_are_recorded_but_not_marked_as_errors(bus, spans):
    await bus.execute_command(Rename("u1", ""))
    await bus.execute_command(Rename("u1", "Ada", outcome="missing"))

    invalid, missing = spans.get_finished_spans()
    assert invalid.attributes["cqrs.status"] == "validation_error"
    assert missing.attributes["cqrs.status"] == "not_found"
    assert {invalid.status.status_code, missing.status.status_code} == {StatusCode.UNSET}


async def test_failures_of_the_service_mark_the_span_as_an_error_with_the_exception(bus, spans):
    await bus.execute_command(Rename("u1", "Ada", outcome="crash"))
    await bus.execute_command(Rename("u1", "Ada", outcome="slow"))

    crashed, timed_out = spans.get_finished_spans()
    assert crashed.status.status_code is StatusCode.ERROR
    assert crashed.attributes["error.type"] == "RuntimeError"
    [exception] = crashed.events
    assert exception.name == "exception"
    assert "hunter2" not in str(exception.attributes)
    assert timed_out.attributes["cqrs.status"] == "timeout"
    assert timed_out.status.status_code is StatusCode.ERROR
