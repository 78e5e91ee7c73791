"""Loading OpenTelemetry tracing only when the project has it and the environment asks for it.

The `app.infrastructure.tracing` package exists only in projects generated with
`opentelemetry=yes`, so nothing imports it by name. `load_tracing` imports it at start-up when

- the package is there, and
- `OTEL_SDK_DISABLED` is not `true`, and
- there is somewhere to send spans: `OTEL_TRACES_EXPORTER` names `console`, or it is `otlp`
  (the default) and `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is
  set.

Otherwise it returns None and no OpenTelemetry SDK or instrumentation is ever imported: a
service without a collector pays nothing for tracing on its hot path.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from fastapi import FastAPI
    from sqlalchemy.ext.asyncio import AsyncEngine

    from app.core.cqrs.middleware import Middleware

TRACING_PACKAGE = "app.infrastructure.tracing"


class TracingHooks(Protocol):
    """What start-up does with tracing (implemented by `app.infrastructure.tracing.setup`)."""

    def instrument_app(self, app: FastAPI) -> None: ...

    def instrument_engines(self, *engines: AsyncEngine) -> None: ...

    def bus_middleware(self) -> Middleware: ...

    def flush(self) -> None: ...


def tracing_installed() -> bool:
    return importlib.util.find_spec(TRACING_PACKAGE) is not None


def tracing_requested(environ: Mapping[str, str] = os.environ) -> bool:
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = {
        name.strip().lower() for name in (environ.get("OTEL_TRACES_EXPORTER") or "otlp").split(",")
    }
    if "console" in exporters:
        return True
    endpoints = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
    return "otlp" in exporters and any(environ.get(name) for name in endpoints)


def load_tracing(service_name: str, environ: Mapping[str, str] = os.environ) -> TracingHooks | None:
    if not (tracing_installed() and tracing_requested(environ)):
        return None
    setup = importlib.import_module(f"{TRACING_PACKAGE}.setup")
    tracing: TracingHooks = setup.Tracing.from_environment(service_name)
    return tracing
