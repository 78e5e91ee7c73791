"""Whether to trace at all, decided at start-up from the OpenTelemetry environment.

Tracing is built only when there is somewhere to send spans: `OTEL_SDK_DISABLED` is not `true`,
and `OTEL_TRACES_EXPORTER` names `console`, or is `otlp` (the default) with
`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` set. Otherwise the
OpenTelemetry SDK is never imported, and a service without a collector pays nothing for it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.infrastructure.tracing.setup import Tracing


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


def load_tracing(service_name: str, environ: Mapping[str, str] = os.environ) -> Tracing | None:
    if not tracing_requested(environ):
        return None
    from app.infrastructure.tracing.setup import Tracing  # the SDK, only when tracing is on

    return Tracing.from_environment(service_name)
