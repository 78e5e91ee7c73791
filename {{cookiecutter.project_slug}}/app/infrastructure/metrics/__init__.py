"""Prometheus metrics: HTTP, CQRS operations, and their exposition.

Metrics are registered once, at import, in prometheus_client's default registry. The query
cache's counters live with the cache (`app.infrastructure.cache.metrics`) and are exposed here
like every other metric.
"""
