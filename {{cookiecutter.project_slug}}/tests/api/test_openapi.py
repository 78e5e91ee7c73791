"""The OpenAPI document: every route, and every error response shaped as a problem."""

from __future__ import annotations

from typing import Any

import httpx

from app.api.problems import PROBLEM_MEDIA_TYPE

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


async def openapi(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


async def test_every_error_response_is_a_problem(client: httpx.AsyncClient) -> None:
    document = await openapi(client)

    for path, item in document["paths"].items():
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert response["content"] == {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}, (
                        method,
                        path,
                        code,
                    )


async def test_fastapis_own_validation_error_shape_is_gone(client: httpx.AsyncClient) -> None:
    document = await openapi(client)

    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert schemas["Problem"]["required"] == ["title", "status"]


async def test_health_routes_are_listed(client: httpx.AsyncClient) -> None:
    document = await openapi(client)

    assert {"/health/live", "/health/ready"} <= document["paths"].keys()
    assert "503" in document["paths"]["/health/ready"]["get"]["responses"]
