from __future__ import annotations

import logging

from app.infrastructure.logging.record_fields import RequestContextFilter
from app.infrastructure.observability.request_context import acceptable_id, current_request_id
from tests.api.observed_app import observed_client


async def test_a_request_without_an_id_gets_a_fresh_one_echoed_in_the_response():
    async with observed_client() as client:
        first = await client.get("/ids")
        second = await client.get("/ids")

    assert first.headers["x-request-id"] == first.json()["request_id"]
    assert acceptable_id(first.headers["x-request-id"]) is not None
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_sane_incoming_request_id_is_kept_and_is_the_correlation_id_by_default():
    async with observed_client() as client:
        response = await client.get("/ids", headers={"X-Request-ID": "client-abc-123"})

    assert response.json() == {"request_id": "client-abc-123", "correlation_id": "client-abc-123"}
    assert response.headers["x-request-id"] == "client-abc-123"
    assert response.headers["x-correlation-id"] == "client-abc-123"


async def test_an_incoming_correlation_id_is_kept_beside_the_request_id():
    async with observed_client() as client:
        response = await client.get(
            "/ids", headers={"X-Request-ID": "hop-2", "X-Correlation-ID": "journey-1"}
        )

    assert response.json() == {"request_id": "hop-2", "correlation_id": "journey-1"}
    assert response.headers["x-correlation-id"] == "journey-1"


async def test_an_insane_incoming_id_is_replaced_not_echoed():
    hostile = "x" * 500
    async with observed_client() as client:
        response = await client.get("/ids", headers={"X-Request-ID": hostile})

    assert response.headers["x-request-id"] != hostile
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_even_an_unhandled_error_response_carries_the_request_id_and_its_log_line_too(
    caplog,
):
    caplog.set_level(logging.ERROR)
    caplog.handler.addFilter(RequestContextFilter())
    async with observed_client() as client:
        response = await client.get("/boom", headers={"X-Request-ID": "boom-1"})

    assert response.status_code == 500
    assert response.headers["x-request-id"] == "boom-1"
    assert response.headers["x-correlation-id"] == "boom-1"
    [unhandled] = [r for r in caplog.records if r.name == "app.api.problems"]
    assert unhandled.request_id == "boom-1"


async def test_the_id_is_unbound_after_the_request():
    async with observed_client() as client:
        await client.get("/ids")

    assert current_request_id() is None
