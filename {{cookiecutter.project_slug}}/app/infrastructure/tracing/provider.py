"""The tracer provider, configured from the standard OpenTelemetry environment variables.

- `OTEL_SERVICE_NAME` / `OTEL_RESOURCE_ATTRIBUTES`: the resource (default service name: the
  app's name).
- `OTEL_TRACES_EXPORTER`: `otlp` (default), `console` or `none`, comma-separated.
- `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `..._HEADERS`,
  `..._TIMEOUT`, `..._COMPRESSION`: read by the OTLP exporter itself. Only the
  `http/protobuf` protocol is shipped.
- `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`: read by the SDK's tracer provider.
- `OTEL_BSP_*`: read by the batch span processor.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

SUPPORTED_OTLP_PROTOCOL = "http/protobuf"


class TracingConfigurationError(ValueError):
    """The OTEL_* environment asks for something this service does not ship."""


def tracer_provider_from_environment(
    service_name: str, environ: Mapping[str, str] = os.environ
) -> TracerProvider:
    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: service_name}))
    provider = TracerProvider(resource=resource)
    for exporter in span_exporters_from_environment(environ):
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def span_exporters_from_environment(environ: Mapping[str, str] = os.environ) -> list[SpanExporter]:
    exporters: list[SpanExporter] = []
    for name in _exporter_names(environ):
        if name == "otlp":
            _check_otlp_protocol(environ)
            exporters.append(OTLPSpanExporter())
        elif name == "console":
            exporters.append(ConsoleSpanExporter())
        elif name != "none":
            raise TracingConfigurationError(
                f"OTEL_TRACES_EXPORTER={name!r} is not supported; use otlp, console or none"
            )
    return exporters


def _exporter_names(environ: Mapping[str, str]) -> list[str]:
    raw = environ.get("OTEL_TRACES_EXPORTER") or "otlp"
    return [name.strip().lower() for name in raw.split(",") if name.strip()]


def _check_otlp_protocol(environ: Mapping[str, str]) -> None:
    protocol = (
        environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        or environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
        or SUPPORTED_OTLP_PROTOCOL
    )
    if protocol != SUPPORTED_OTLP_PROTOCOL:
        raise TracingConfigurationError(
            f"OTLP protocol {protocol!r} is not shipped; use {SUPPORTED_OTLP_PROTOCOL} "
            f"(or add opentelemetry-exporter-otlp-proto-grpc and adapt this module)"
        )
