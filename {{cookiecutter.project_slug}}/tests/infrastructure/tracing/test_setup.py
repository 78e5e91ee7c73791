from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.trace import SpanKind
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.infrastructure.tracing import setup
from app.infrastructure.tracing.loading import load_tracing, tracing_requested
from app.infrastructure.tracing.setup import Tracing
from tests.infrastructure.tracing.traced_app import build_traced_app


@pytest.fixture
async def engine(tmp_path) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'traced.db'}")
    yield engine
    await engine.dispose()


@pytest.fixture
async def client(tracing, engine) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_traced_app(tracing, engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def by_name(spans: tuple[ReadableSpan, ...], name: str) -> ReadableSpan:
    [span] = [span for span in spans if span.name == name]
    return span


def parent_id(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


async def test_request_operation_and_sql_spans_form_one_trace_of_parents_and_children(
    client, spans
):
    response = await client.get("/things/42")

    assert response.json() == {"value": 42}
    finished = spans.get_finished_spans()
    server = by_name(finished, "GET /things/{thing_id}")
    operation = by_name(finished, "query GetThing")
    statement = next(span for span in finished if span.kind is SpanKind.CLIENT)
    assert server.kind is SpanKind.SERVER
    assert parent_id(operation) == server.context.span_id
    assert parent_id(statement) == operation.context.span_id
    assert {span.context.trace_id for span in (server, operation, statement)} == {
        server.context.trace_id
    }


async def test_an_incoming_traceparent_continues_the_callers_trace(client, spans):
    caller_trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    await client.get("/things/1", headers={"traceparent": f"00-{caller_trace}-00f067aa0ba902b7-01"})

    server = by_name(spans.get_finished_spans(), "GET /things/{thing_id}")
    assert format(server.context.trace_id, "032x") == caller_trace


async def test_scrapes_are_not_traced(client, spans):
    await client.get("/metrics")

    assert spans.get_finished_spans() == ()


def test_load_tracing_builds_tracing_when_the_environment_asks_for_it(monkeypatch):
    # Stands in for the process-wide provider, so this test does not install a global one.
    process_provider = TracerProvider()
    monkeypatch.setattr(setup, "_process_provider", process_provider)

    loaded = load_tracing("svc", environ={"OTEL_TRACES_EXPORTER": "console"})

    assert isinstance(loaded, Tracing)
    assert loaded.provider is process_provider


def test_load_tracing_stays_off_without_an_exporter_to_send_to():
    assert load_tracing("svc", environ={}) is None
    assert load_tracing("svc", environ={"OTEL_SDK_DISABLED": "true"}) is None


@pytest.mark.parametrize(
    ("environ", "requested"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, False),
        ({"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "console"}, False),
        ({"OTEL_SDK_DISABLED": "TRUE", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, False),
    ],
)
def test_tracing_is_requested_only_with_somewhere_to_send_spans(environ, requested):
    assert tracing_requested(environ) is requested
