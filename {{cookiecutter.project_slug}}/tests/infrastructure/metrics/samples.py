"""Reading process-wide Prometheus samples: tests compare values before and after."""

from __future__ import annotations

from prometheus_client import REGISTRY


def sample(metric: str, /, **labels: str) -> float:
    return REGISTRY.get_sample_value(metric, labels) or 0.0
