"""The one mapping from operation results to HTTP responses."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from app.api.problems import ProblemError, install_problem_handlers
from app.api.results import (
    HTTP_STATUS,
    install_operation_error_handler,
    problem_for,
    succeeded,
)
from app.core.cqrs import (
    NON_FIELD_ERRORS,
    CommandResult,
    NotFoundError,
    OperationStatus,
    QueryResult,
    ServiceUnavailableError,
)

EXPECTED = {
    OperationStatus.SUCCESS: 200,
    OperationStatus.VALIDATION_ERROR: 422,
    OperationStatus.UNAUTHENTICATED: 401,
    OperationStatus.UNAUTHORIZED: 403,
    OperationStatus.NOT_FOUND: 404,
    OperationStatus.CONFLICT: 409,
    OperationStatus.TIMEOUT: 504,
    OperationStatus.UNAVAILABLE: 503,
    OperationStatus.FAILED: 500,
}


def test_every_status_has_its_http_code() -> None:
    assert dict(HTTP_STATUS) == EXPECTED
    assert set(HTTP_STATUS) == set(OperationStatus)


@pytest.mark.parametrize("status", [s for s in OperationStatus if s is not OperationStatus.SUCCESS])
def test_a_failed_result_is_raised_as_the_problem_for_its_status(status: OperationStatus) -> None:
    with pytest.raises(ProblemError) as raised:
        succeeded(CommandResult(status, errors={NON_FIELD_ERRORS: "Nope"}))

    assert raised.value.status == EXPECTED[status]
    assert raised.value.detail == "Nope"


def test_a_successful_result_gives_its_data() -> None:
    assert succeeded(QueryResult(OperationStatus.SUCCESS, {"id": 1})) == {"id": 1}


def test_field_errors_go_to_errors_and_the_rest_to_detail() -> None:
    problem = problem_for(
        OperationStatus.VALIDATION_ERROR,
        {"email": "Enter a valid email address", NON_FIELD_ERRORS: "The request is invalid"},
    )

    assert problem.errors == {"email": "Enter a valid email address"}
    assert problem.detail == "The request is invalid"


def test_unauthenticated_carries_a_bearer_challenge_and_nothing_else_does() -> None:
    for status in OperationStatus:
        if status is OperationStatus.SUCCESS:
            continue
        headers = problem_for(status, {}).headers or {}
        expected = (
            {"WWW-Authenticate": "Bearer"} if status is OperationStatus.UNAUTHENTICATED else {}
        )
        assert headers == expected


def test_success_is_not_a_problem() -> None:
    with pytest.raises(ValueError, match="not a problem"):
        problem_for(OperationStatus.SUCCESS, {})


async def test_operation_errors_raised_outside_the_bus_become_their_problem() -> None:
    app = FastAPI()
    install_problem_handlers(app)
    install_operation_error_handler(app)

    @app.get("/down")
    async def down() -> None:
        raise ServiceUnavailableError()

    @app.get("/missing")
    async def missing() -> None:
        raise NotFoundError("No such thing")

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        down_response = await client.get("/down")
        missing_response = await client.get("/missing")

    assert down_response.status_code == 503
    assert down_response.headers["content-type"] == "application/problem+json"
    assert down_response.json()["detail"] == "The service is temporarily unavailable"
    assert (missing_response.status_code, missing_response.json()["detail"]) == (
        404,
        "No such thing",
    )
