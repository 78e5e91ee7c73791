"""Latency buckets shared by the HTTP and CQRS histograms.

Finer than prometheus_client's default below 100 ms, where latency objectives for an API
(a query's p99 under 100 ms, say) are usually set.
"""

from __future__ import annotations

LATENCY_BUCKETS_SECONDS: tuple[float, ...] = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)
