"""The users routes in the OpenAPI document, with their success and error responses."""

from __future__ import annotations

from typing import Any

import httpx

BODY = {"400", "413"}
ROUTES = {
    ("post", "/api/v1/users"): ("201", {"401", "403", "409", "422", "500", "503", *BODY}),
    ("get", "/api/v1/users"): ("200", {"401", "403", "422", "500", "503"}),
    ("get", "/api/v1/users/stats"): ("200", {"401", "403", "500", "503"}),
    ("get", "/api/v1/users/{user_id}"): ("200", {"401", "403", "404", "422", "500", "503"}),
    ("patch", "/api/v1/users/{user_id}"): (
        "200",
        {"401", "403", "404", "409", "422", "500", "503", *BODY},
    ),
    ("delete", "/api/v1/users/{user_id}"): (
        "204",
        {"401", "403", "404", "409", "422", "500", "503"},
    ),
    ("post", "/api/v1/users/{user_id}/deactivate"): (
        "204",
        {"401", "403", "404", "409", "422", "500", "503"},
    ),
}


async def document(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    body: dict[str, Any] = response.json()
    return body


async def test_every_users_route_is_listed_with_its_responses(client: httpx.AsyncClient) -> None:
    paths = (await document(client))["paths"]

    for (method, path), (success, errors) in ROUTES.items():
        responses = paths[path][method]["responses"]
        assert set(responses) == {success, *errors}, (method, path)


async def test_success_bodies_have_schemas(client: httpx.AsyncClient) -> None:
    openapi = await document(client)
    paths, schemas = openapi["paths"], openapi["components"]["schemas"]

    def schema_of(method: str, path: str, code: str) -> dict[str, Any]:
        content = paths[path][method]["responses"][code]["content"]["application/json"]
        ref: str = content["schema"]["$ref"]
        found: dict[str, Any] = schemas[ref.rsplit("/", 1)[1]]
        return found

    user = schema_of("get", "/api/v1/users/{user_id}", "200")
    assert {"id", "email", "username", "full_name", "role", "is_active", "version"} <= set(
        user["properties"]
    )
    assert set(schema_of("get", "/api/v1/users", "200")["properties"]) == {"items", "pagination"}
    assert set(schema_of("post", "/api/v1/users", "201")["properties"]) == {"id"}
    assert {"total", "active", "inactive", "by_role"} <= set(
        schema_of("get", "/api/v1/users/stats", "200")["properties"]
    )


async def test_create_accepts_an_idempotency_key(client: httpx.AsyncClient) -> None:
    create = (await document(client))["paths"]["/api/v1/users"]["post"]

    headers = {p["name"] for p in create["parameters"] if p["in"] == "header"}
    assert headers == {"Idempotency-Key"}


async def test_list_parameters_state_their_bounds(client: httpx.AsyncClient) -> None:
    find = (await document(client))["paths"]["/api/v1/users"]["get"]

    page_size = next(p for p in find["parameters"] if p["name"] == "page_size")
    assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (1, 100)
