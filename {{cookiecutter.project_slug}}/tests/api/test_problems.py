from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from app.api.problems import PROBLEM_MEDIA_TYPE, ProblemError, install_problem_handlers


class Payload(BaseModel):
    email: str
    age: int


def build_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(payload: Payload) -> dict[str, str]:
        return {"email": payload.email}

    @app.get("/conflict")
    async def conflict() -> None:
        raise ProblemError(409, detail="Email already in use", errors={"email": "taken"})

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    return app


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_problem_error_becomes_problem_json_with_its_field_errors(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get("/conflict")

    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert response.json() == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": "Email already in use",
        "instance": "/conflict",
        "errors": {"email": "taken"},
    }


async def test_request_validation_lists_every_failing_field(http: httpx.AsyncClient) -> None:
    response = await http.post("/things", json={"age": "not a number"})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    assert body["status"] == 422
    assert set(body["errors"]) == {"email", "age"}


async def test_malformed_json_is_a_422_problem_not_a_500(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/things", content=b"{not json", headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE


async def test_unknown_route_is_a_404_problem(http: httpx.AsyncClient) -> None:
    response = await http.get("/nowhere")

    assert response.status_code == 404
    assert response.json()["title"] == "Not Found"


async def test_unexpected_errors_reveal_nothing_internal(http: httpx.AsyncClient) -> None:
    response = await http.get("/boom")

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert response.json()["detail"] == "An unexpected error occurred."
