"""OpenTelemetry tracing (the `opentelemetry` template option).

Nothing outside this package imports it by name: `app.infrastructure.observability.
optional_tracing` loads it at start-up when it exists and the OTEL_* environment asks for
tracing. This file imports nothing, so finding the package loads no OpenTelemetry.
"""
