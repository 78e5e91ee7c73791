"""Tracing for one process: the provider, the instrumentation and the bus middleware.

The provider built from the environment is made the global one, once per process, so
libraries that look it up (and FastAPI's own telemetry) use it too. Tests pass their own
provider (with an in-memory exporter) instead.
"""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infrastructure.tracing.bus_middleware import CQRSTracingMiddleware
from app.infrastructure.tracing.instrumentation import (
    instrument_engines,
    instrument_fastapi,
    instrument_redis,
)
from app.infrastructure.tracing.provider import tracer_provider_from_environment

TRACER_NAME = "app.cqrs"

_process_provider: TracerProvider | None = None


def process_tracer_provider(service_name: str) -> TracerProvider:
    global _process_provider
    if _process_provider is None:
        _process_provider = tracer_provider_from_environment(service_name)
        trace.set_tracer_provider(_process_provider)
    return _process_provider


class Tracing:
    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider
        instrument_redis(provider)

    @classmethod
    def from_environment(cls, service_name: str) -> Tracing:
        return cls(process_tracer_provider(service_name))

    def instrument_app(self, app: FastAPI) -> None:
        instrument_fastapi(app, self.provider)

    def instrument_engines(self, *engines: AsyncEngine) -> None:
        instrument_engines(self.provider, *engines)

    def bus_middleware(self) -> CQRSTracingMiddleware:
        return CQRSTracingMiddleware(self.provider.get_tracer(TRACER_NAME))

    def flush(self) -> None:
        """Export what is buffered (at shutdown; the provider itself lives on)."""
        self.provider.force_flush()
