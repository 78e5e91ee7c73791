from __future__ import annotations

import pytest
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME
from opentelemetry.sdk.trace.export import ConsoleSpanExporter

from app.infrastructure.tracing.provider import (
    TracingConfigurationError,
    span_exporters_from_environment,
    tracer_provider_from_environment,
)


def exporter_types(environ: dict[str, str]) -> list[type]:
    return [type(exporter) for exporter in span_exporters_from_environment(environ)]


def test_otlp_over_http_is_the_default_exporter():
    assert exporter_types({}) == [OTLPSpanExporter]


def test_exporters_are_chosen_by_otel_traces_exporter():
    assert exporter_types({"OTEL_TRACES_EXPORTER": "console"}) == [ConsoleSpanExporter]
    assert exporter_types({"OTEL_TRACES_EXPORTER": "otlp, console"}) == [
        OTLPSpanExporter,
        ConsoleSpanExporter,
    ]
    assert exporter_types({"OTEL_TRACES_EXPORTER": "none"}) == []


def test_an_unknown_exporter_is_refused_with_the_choices():
    with pytest.raises(TracingConfigurationError, match="otlp, console or none"):
        span_exporters_from_environment({"OTEL_TRACES_EXPORTER": "zipkin"})


def test_an_otlp_protocol_that_is_not_shipped_is_refused_clearly():
    with pytest.raises(TracingConfigurationError, match="http/protobuf"):
        span_exporters_from_environment({"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"})


def test_the_service_is_named_after_the_app_unless_the_environment_names_it(monkeypatch):
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    monkeypatch.delenv("OTEL_RESOURCE_ATTRIBUTES", raising=False)
    default = tracer_provider_from_environment("orders", {"OTEL_TRACES_EXPORTER": "none"})

    monkeypatch.setenv("OTEL_SERVICE_NAME", "orders-eu")
    named = tracer_provider_from_environment("orders", {"OTEL_TRACES_EXPORTER": "none"})

    assert default.resource.attributes[SERVICE_NAME] == "orders"
    assert named.resource.attributes[SERVICE_NAME] == "orders-eu"
