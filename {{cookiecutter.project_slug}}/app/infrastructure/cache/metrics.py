"""Prometheus counters for the query cache, shared by every backend.

Registered once, at import, in the default registry. Backends bind their label values when
they are built, so the hot path pays one `inc()` and no label look-up.
"""

from __future__ import annotations

from prometheus_client import Counter

CACHE_HITS = Counter(
    "cqrs_cache_hits_total",
    "Query cache look-ups that returned a stored result.",
    ["backend"],
)
CACHE_MISSES = Counter(
    "cqrs_cache_misses_total",
    "Query cache look-ups that found nothing (the handler ran).",
    ["backend"],
)
CACHE_ERRORS = Counter(
    "cqrs_cache_errors_total",
    "Query cache operations that failed or were skipped because the backend is unavailable, "
    "and stored values refused as unreadable.",
    ["backend", "operation"],
)
