"""Counting and timing HTTP requests by route template (see `app.infrastructure.metrics.http`).

The route is read after the application ran: the router records the matched route in the
scope, so the label is the template, never the raw path. A request that raised before any
response was sent is counted as a 500, which is what the client receives.
"""

from __future__ import annotations

from time import perf_counter

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.infrastructure.metrics.http import (
    HTTP_REQUEST_DURATION,
    HTTP_REQUESTS,
    HTTP_REQUESTS_IN_PROGRESS,
    KNOWN_METHODS,
    OTHER_METHOD,
    UNMATCHED_ROUTE,
)


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED_ROUTE


class HttpMetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Label look-ups cost more than the increments; series are bounded, so keep them.
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
        self._in_progress = {
            method: HTTP_REQUESTS_IN_PROGRESS.labels(method=method)
            for method in (*KNOWN_METHODS, OTHER_METHOD)
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"] if scope["method"] in KNOWN_METHODS else OTHER_METHOD
        status = 500

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        in_progress = self._in_progress[method]
        in_progress.inc()
        started = perf_counter()
        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            elapsed = perf_counter() - started
            in_progress.dec()
            requests, duration = self._series_for(method, route_template(scope), status)
            requests.inc()
            duration.observe(elapsed)

    def _series_for(self, method: str, route: str, status: int) -> tuple[Counter, Histogram]:
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            series = (
                HTTP_REQUESTS.labels(method=method, route=route, status=str(status)),
                HTTP_REQUEST_DURATION.labels(method=method, route=route),
            )
            self._series[key] = series
        return series
