from __future__ import annotations

import pytest
from opentelemetry.trace import SpanKind

from tests.support.services import redis_server_url, unique_name

pytest.importorskip("redis", reason="projects with cache=memory do not ship redis")


@pytest.mark.redis
async def test_redis_commands_get_client_spans_under_the_current_span(tracing, spans):
    import redis.asyncio as redis

    client = redis.Redis.from_url(redis_server_url())
    key = unique_name("tracing")
    try:
        with tracing.provider.get_tracer("tests").start_as_current_span("operation") as parent:
            await client.set(key, "1", ex=60)
            await client.get(key)
    finally:
        await client.delete(key)
        await client.aclose()

    commands = [span for span in spans.get_finished_spans() if span.kind is SpanKind.CLIENT]
    assert [span.name for span in commands][:2] == ["SET", "GET"]
    assert {span.parent.span_id for span in commands[:2] if span.parent} == {
        parent.get_span_context().span_id
    }
