"""Library instrumentation: FastAPI requests, SQLAlchemy statements, Redis commands."""

from __future__ import annotations

import importlib.util
import os

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import get_meter_provider
from opentelemetry.trace import TracerProvider
from sqlalchemy.ext.asyncio import AsyncEngine

# Scrapes and probes every few seconds would drown the traces that matter.
DEFAULT_EXCLUDED_URLS = "/metrics,/health/live,/health/ready"


def instrument_fastapi(app: FastAPI, provider: TracerProvider) -> None:
    """A server span per request (call before the app serves anything)."""
    excluded = os.environ.get("OTEL_PYTHON_FASTAPI_EXCLUDED_URLS") or os.environ.get(
        "OTEL_PYTHON_EXCLUDED_URLS"
    )
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls=excluded or DEFAULT_EXCLUDED_URLS
    )


def instrument_engines(provider: TracerProvider, *engines: AsyncEngine) -> None:
    """A client span per SQL statement on these engines.

    Engines are instrumented one by one, not by patching `create_async_engine`: the app's
    engine module imported that function before tracing was set up.
    """
    tracer = provider.get_tracer(SQLAlchemyInstrumentor.__module__)
    connections = (
        get_meter_provider()
        .get_meter(__name__)
        .create_up_down_counter("db.client.connections.usage", unit="connections")
    )
    for engine in engines:
        EngineTracer(tracer, engine.sync_engine, connections)  # type: ignore[no-untyped-call]


def instrument_redis(provider: TracerProvider) -> None:
    """A client span per Redis command, for every client in the process (when redis is used)."""
    if importlib.util.find_spec("redis") is None:
        return
    if importlib.util.find_spec("opentelemetry.instrumentation.redis") is None:
        return
    # Installed only in projects with the Redis cache; mypy checks projects without it too.
    from opentelemetry.instrumentation.redis import (  # type: ignore[import-not-found,unused-ignore]
        RedisInstrumentor,
    )

    instrumentor = RedisInstrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(tracer_provider=provider)
