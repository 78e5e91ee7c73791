from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from app.infrastructure.tracing.setup import Tracing

# One provider for the session: Redis instrumentation patches the client classes once per
# process, bound to the provider it was first given.
_exporter = InMemorySpanExporter()
_provider = TracerProvider()
_provider.add_span_processor(SimpleSpanProcessor(_exporter))


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Finished spans of this test only."""
    _exporter.clear()
    yield _exporter
    _exporter.clear()


@pytest.fixture
def tracing() -> Tracing:
    return Tracing(_provider)
