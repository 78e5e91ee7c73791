"""HTTP request metrics, recorded by `app.api.middleware.http_metrics`.

Routes are labelled by their template (`/api/v1/users/{user_id}`), never the raw path, and
requests no route matched share one label, so the number of series stays bounded whatever
clients send.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from app.infrastructure.metrics.buckets import LATENCY_BUCKETS_SECONDS

UNMATCHED_ROUTE = "<unmatched>"
OTHER_METHOD = "OTHER"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from receiving an HTTP request to sending the end of its response.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS_SECONDS,
)
HTTP_REQUESTS_IN_PROGRESS = Gauge(
    "http_requests_in_progress",
    "HTTP requests being handled right now.",
    ["method"],
    # Across worker processes: the sum over the processes that are alive.
    multiprocess_mode="livesum",
)
