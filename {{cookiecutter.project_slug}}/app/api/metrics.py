"""`GET /metrics`: every Prometheus metric of the service, all worker processes included."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response

from app.infrastructure.metrics.exposition import render_metrics

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    # A plain `def`: reading the multiprocess files is blocking I/O, so it runs in a thread.
    body, content_type = render_metrics(request.headers.get("accept"))
    return Response(content=body, media_type=content_type)


def install_metrics_endpoint(app: FastAPI) -> None:
    app.include_router(router)
