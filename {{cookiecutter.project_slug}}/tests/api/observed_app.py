"""A small app with the observability middleware and /metrics installed, for API-level tests."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from app.api.metrics import install_metrics_endpoint
from app.api.middleware.http_metrics import HttpMetricsMiddleware
from app.api.middleware.request_id import RequestIdMiddleware
from app.api.problems import install_problem_handlers
from app.infrastructure.observability.request_context import (
    current_correlation_id,
    current_request_id,
)

logger = logging.getLogger("tests.observed_app")


def build_observed_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(HttpMetricsMiddleware)
    app.add_middleware(RequestIdMiddleware)
    install_metrics_endpoint(app)

    @app.get("/widgets/{widget_id}")
    async def get_widget(widget_id: int) -> dict[str, int]:
        return {"id": widget_id}

    @app.post("/widgets", status_code=201)
    async def create_widget() -> dict[str, str]:
        return {"status": "created"}

    @app.get("/ids")
    async def ids() -> dict[str, str | None]:
        logger.info("handling /ids")
        return {"request_id": current_request_id(), "correlation_id": current_correlation_id()}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("password=hunter2 exploded")

    return app


@asynccontextmanager
async def observed_client(app: FastAPI | None = None) -> AsyncIterator[httpx.AsyncClient]:
    application = app or build_observed_app()
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    async with (
        application.router.lifespan_context(application),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        yield client
