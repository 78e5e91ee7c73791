"""Operation results to HTTP: the one mapping from `OperationStatus` to a status code.

A route turns a result into its success response with `succeeded(result)`, which returns the
data or raises the failure as a `ProblemError` (rendered as application/problem+json by the
handlers in `app.api.problems`). Errors that belong to no field become the problem's `detail`;
field errors its `errors` map. `OperationError`s raised outside the bus (a database outage
while checking a token, say) get the same treatment through `install_operation_error_handler`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import Response

from app.api.problems import ProblemError, problem_response
from app.core.cqrs import NON_FIELD_ERRORS, OperationError, OperationResult, OperationStatus

T = TypeVar("T")

HTTP_STATUS: Mapping[OperationStatus, int] = MappingProxyType(
    {
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
)

# RFC 9110: a 401 names the scheme that would succeed.
BEARER_CHALLENGE: Mapping[str, str] = MappingProxyType({"WWW-Authenticate": "Bearer"})


def problem_for(status: OperationStatus, errors: Mapping[str, str]) -> ProblemError:
    """The problem a failed operation is answered with."""
    if status is OperationStatus.SUCCESS:
        raise ValueError("a successful result is not a problem")
    fields = {name: message for name, message in errors.items() if name != NON_FIELD_ERRORS}
    return ProblemError(
        HTTP_STATUS[status],
        detail=errors.get(NON_FIELD_ERRORS),
        errors=fields or None,
        headers=BEARER_CHALLENGE if status is OperationStatus.UNAUTHENTICATED else None,
    )


def succeeded(result: OperationResult[T]) -> T | None:
    """The result's data; a failed result is raised as its problem."""
    if result.is_failure:
        raise problem_for(result.status, result.errors)
    return result.data


async def _on_operation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OperationError)
    problem = problem_for(exc.status, exc.errors)
    return problem_response(
        request,
        problem.status,
        detail=problem.detail,
        errors=problem.errors,
        headers=problem.headers,
    )


def install_operation_error_handler(app: FastAPI) -> None:
    app.add_exception_handler(OperationError, _on_operation_error)
