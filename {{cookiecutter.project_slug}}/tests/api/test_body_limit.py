"""Bodies over the limit are refused with 413 before they are read whole."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request

from app.api.body_limit import BodySizeLimitMiddleware
from app.api.problems import PROBLEM_MEDIA_TYPE, install_problem_handlers

LIMIT = 1024


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=LIMIT)
    install_problem_handlers(app)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert response.json()["detail"] == f"The request body is larger than {LIMIT} bytes"


async def test_a_body_within_the_limit_is_served(http: httpx.AsyncClient) -> None:
    response = await http.post("/echo", content=b"x" * LIMIT)

    assert response.json() == {"received": LIMIT}


async def test_a_declared_length_over_the_limit_is_refused_at_once(
    http: httpx.AsyncClient,
) -> None:
    assert_too_large(await http.post("/echo", content=b"x" * (LIMIT + 1)))


async def test_a_streamed_body_is_refused_once_it_passes_the_limit(
    http: httpx.AsyncClient,
) -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            sent.append(512)
            yield b"x" * 512

    assert_too_large(await http.post("/echo", content=chunks()))
    assert sum(sent) < 100 * 512


async def test_the_real_app_refuses_oversized_bodies(client: httpx.AsyncClient) -> None:
    response = await client.post("/health/live", content=b"x" * (2 * 1024 * 1024))

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
