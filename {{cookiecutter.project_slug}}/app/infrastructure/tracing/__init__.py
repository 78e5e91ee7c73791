"""OpenTelemetry tracing (the `opentelemetry` template option).

The container builds it at start-up through `loading.load_tracing`, when the OTEL_* environment
asks for tracing. This file imports nothing, so finding the package loads no OpenTelemetry.
"""
