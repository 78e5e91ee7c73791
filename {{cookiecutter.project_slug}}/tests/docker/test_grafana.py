"""The shipped Grafana dashboard asks only for metrics, and labels, the service exports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY, Metric

import app.infrastructure.cache.metrics
import app.infrastructure.metrics.cqrs
import app.infrastructure.metrics.http  # noqa: F401  (registers the metrics the dashboard reads)

GRAFANA = Path(__file__).resolve().parents[2] / "docker" / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "service-overview.json"
DATASOURCES = GRAFANA / "provisioning" / "datasources" / "prometheus.yml"

SERIES_NAME = re.compile(r"\b(?:http|cqrs)_[a-z_]+\b")
GROUPING = re.compile(r"\bby \(([^)]*)\)")
SELECTOR = re.compile(r"\{([^}]*)\}")
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def exported_series() -> dict[str, set[str]]:
    """Series name -> the label names it carries, for every metric of the service."""
    series: dict[str, set[str]] = {}
    for metric in REGISTRY.collect():
        labels = _label_names(metric)
        for suffix in SUFFIXES.get(metric.type, ("",)):
            extra = {"le"} if suffix == "_bucket" else set()
            series[metric.name + suffix] = labels | extra
    return series


def _label_names(metric: Metric) -> set[str]:
    # Private, but prometheus_client offers no public way to a metric's label names.
    collector = REGISTRY._names_to_collectors.get(metric.name)
    return set(getattr(collector, "_labelnames", ()))


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def queries() -> list[str]:
    panels = dashboard()["panels"]
    return [target["expr"] for panel in panels for target in panel.get("targets", [])]


def test_the_dashboard_is_valid_json_with_panels_on_the_provisioned_datasource():
    panels = [panel for panel in dashboard()["panels"] if panel["type"] != "row"]
    uid = re.search(r"uid: (\S+)", DATASOURCES.read_text(encoding="utf-8"))

    assert panels
    assert uid is not None
    assert {panel["datasource"]["uid"] for panel in panels} == {uid.group(1)}


@pytest.mark.parametrize("expr", queries())
def test_every_query_reads_exported_series_and_their_labels(expr):
    series = exported_series()
    names = set(SERIES_NAME.findall(expr))
    assert names, f"no service metric in {expr!r}"
    assert names <= set(series), f"unknown series in {expr!r}: {names - set(series)}"

    available = set().union(*(series[name] for name in names))
    used = {
        label.strip()
        for clause in GROUPING.findall(expr)
        for label in clause.split(",")
        if label.strip()
    } | {
        matcher.split("=")[0].rstrip("!~").strip()
        for selector in SELECTOR.findall(expr)
        for matcher in selector.split(",")
        if matcher.strip()
    }
    assert used <= available, f"unknown labels in {expr!r}: {used - available}"


def test_the_dashboard_covers_requests_latency_operations_errors_and_the_cache():
    everything = " ".join(queries())
    for needed in (
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "cqrs_command_total",
        "cqrs_query_total",
        "cqrs_command_duration_seconds_bucket",
        "cqrs_query_duration_seconds_bucket",
        "cqrs_operation_errors_total",
        "cqrs_cache_hits_total",
        "cqrs_cache_misses_total",
    ):
        assert needed in everything


def test_series_are_named_by_labels_their_query_keeps():
    # Grafana's double-braced legend syntax would clash with the template's Jinja: use this one.
    for panel in dashboard()["panels"]:
        display = panel.get("fieldConfig", {}).get("defaults", {}).get("displayName")
        if display is None:
            continue
        kept = {
            label.strip()
            for target in panel["targets"]
            for clause in GROUPING.findall(target["expr"])
            for label in clause.split(",")
        }
        named = set(re.findall(r"\$\{__field\.labels\.(\w+)\}", display))
        assert named, panel["title"]
        assert named <= kept, f"{panel['title']}: {named - kept} is summed away"
