"""Application factory, served as `uvicorn --factory app.main:create_app`.

Nothing is built at import time: tests and workers create their own app. The lifespan starts
what the container owns (engines, cache, projection runner, start-up tasks) and stops it again;
tests pass a `container` whose providers they have overridden.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.body_limit import BodySizeLimitMiddleware
from app.api.metrics import install_metrics_endpoint
from app.api.middleware.http_metrics import HttpMetricsMiddleware
from app.api.middleware.request_id import RequestIdMiddleware
from app.api.openapi import install_problem_schemas
from app.api.operations import Operations
from app.api.problems import install_problem_handlers
from app.api.results import install_operation_error_handler
from app.api.routers import install_routers
from app.container import Container, build_container, running
from app.infrastructure.logging.setup import configure_logging, default_log_format
from app.infrastructure.metrics.exposition import forget_this_process
from app.settings import Settings, get_settings


def create_app(settings: Settings | None = None, *, container: Container | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(
        level=settings.log_level,
        log_format=settings.log_format or default_log_format(settings.environment),
    )
    container = container or build_container(settings)
{%- if cookiecutter.opentelemetry == "yes" %}
    tracing = container.tracing()
{%- endif %}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running(container) as bus:
            app.state.operations = Operations(
                bus,
                container.write_settlement(),
                wait_seconds=settings.read_your_writes_timeout_seconds,
            )
            gc.freeze()  # what start-up built lives for good: no collection need look at it
            try:
                yield
            finally:
{%- if cookiecutter.opentelemetry == "yes" %}
                if tracing is not None:
                    tracing.flush()
{%- endif %}
                forget_this_process()

    app = FastAPI(title=settings.app_name, lifespan=lifespan)
    app.state.settings = settings
    app.state.container = container
    # The last added runs first: request ids, then HTTP metrics, then the body-size limit.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_body_bytes)
    app.add_middleware(HttpMetricsMiddleware)
    app.add_middleware(RequestIdMiddleware)
    install_problem_handlers(app)
    install_operation_error_handler(app)
    install_routers(app)
    install_problem_schemas(app)
    install_metrics_endpoint(app)
{%- if cookiecutter.opentelemetry == "yes" %}
    if tracing is not None:
        tracing.instrument_app(app)  # the server span, outermost of all
{%- endif %}
    return app
