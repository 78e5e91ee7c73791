"""Every error leaves the API as `application/problem+json` (RFC 9457).

One exception type, `ProblemError`, carries what a route wants to say; the handlers installed by
`install_problem_handlers` render it, FastAPI's own request-validation errors, HTTP errors from
routing, and anything unexpected (as a generic 500: no stack trace or internal message ever
reaches a client).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.middleware.request_id import echoed_headers

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class Problem(BaseModel):
    """The body of every error response."""

    type: str = Field(default="about:blank", description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: dict[str, str] | None = Field(default=None, description="Field -> message")


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


class ProblemError(Exception):
    """Raised by routes to answer with a problem; rendered by the installed handler."""

    def __init__(
        self,
        status: int,
        *,
        detail: str | None = None,
        errors: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__(detail or HTTPStatus(status).phrase)
        self.status = status
        self.title = title or HTTPStatus(status).phrase
        self.detail = detail
        self.errors = dict(errors) if errors else None
        self.headers = dict(headers) if headers else None


def problem_response(
    request: Request,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    errors: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> ProblemResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "instance": request.url.path,
    }
    if detail is not None:
        body["detail"] = detail
    if errors:
        body["errors"] = dict(errors)
    return ProblemResponse(body, status_code=status, headers=dict(headers) if headers else None)


def field_errors(error: RequestValidationError) -> dict[str, str]:
    """`body.email` -> message, for each failing location (first message wins)."""
    errors: dict[str, str] = {}
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        if len(location) > 1 and location[0] in {"body", "query", "path", "header", "cookie"}:
            location = location[1:]
        errors.setdefault(".".join(location) or "request", str(item.get("msg", "Invalid")))
    return errors


async def _on_problem(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        request,
        exc.status,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
    )


async def _on_validation(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(
        request, 422, detail="The request is not valid.", errors=field_errors(exc)
    )


async def _on_http(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(request, exc.status_code, detail=detail, headers=exc.headers)


async def _on_unexpected(request: Request, exc: Exception) -> ProblemResponse:
    # Starlette calls this from outside the request-id middleware (see its module).
    logger.exception("Unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        request, 500, detail="An unexpected error occurred.", headers=echoed_headers()
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
