"""Read the cache's Prometheus counters, which are process-wide: tests compare before/after."""

from __future__ import annotations

from prometheus_client import REGISTRY


def counter_value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def cache_errors(backend: str, operation: str) -> float:
    return counter_value("cqrs_cache_errors_total", backend=backend, operation=operation)


def cache_hits(backend: str) -> float:
    return counter_value("cqrs_cache_hits_total", backend=backend)


def cache_misses(backend: str) -> float:
    return counter_value("cqrs_cache_misses_total", backend=backend)
