"""Installing the request middleware on an application, in the order they must run."""

from __future__ import annotations

from starlette.applications import Starlette

from app.api.middleware.http_metrics import HttpMetricsMiddleware
from app.api.middleware.outermost import wrap_outermost
from app.api.middleware.request_id import RequestIdMiddleware


def install_request_observability(app: Starlette) -> None:
    """Request ids outermost (every log line, metrics included, carries them), then metrics.

    Call it while building the app, before it serves its first request or lifespan event.
    """
    wrap_outermost(app, HttpMetricsMiddleware)
    wrap_outermost(app, RequestIdMiddleware)
