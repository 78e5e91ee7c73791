"""The OpenAPI document's error responses: every one is `application/problem+json`.

Routes list the problems they can answer with through `problem_responses(...)`. FastAPI's own
default 422 (its `HTTPValidationError` shape) is replaced everywhere by the problem schema,
because `app.api.problems` renders request-validation errors as problems too. Every operation
that takes a body also lists 400 (a body that cannot be decoded at all, such as invalid UTF-8)
and 413 (a body over the size limit).
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI

from app.api.problems import PROBLEM_MEDIA_TYPE, Problem

PROBLEM_SCHEMA_NAME = Problem.__name__
_PROBLEM_REF = {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA_NAME}"}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_BODY_PROBLEMS = {
    400: "The body could not be decoded",
    413: "The body is larger than the service accepts",
}


def problem_response_doc(status_code: int, description: str | None = None) -> dict[str, Any]:
    return {
        "description": description or HTTPStatus(status_code).phrase,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": dict(_PROBLEM_REF)}},
    }


def problem_responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that may answer with these problems (and 500, as any may)."""
    codes = sorted({*status_codes, 500})
    return {code: problem_response_doc(code) for code in codes}


def install_problem_schemas(app: FastAPI) -> None:
    """Generate the document as usual, then put the problem schema where errors are."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas[PROBLEM_SCHEMA_NAME] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for path_item in document.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                if _is_fastapi_validation_error(responses.get("422")):
                    responses["422"] = problem_response_doc(422)
                if "requestBody" in operation:
                    for code, description in _BODY_PROBLEMS.items():
                        responses.setdefault(str(code), problem_response_doc(code, description))
        for name in _FASTAPI_VALIDATION_SCHEMAS:
            schemas.pop(name, None)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _is_fastapi_validation_error(response: dict[str, Any] | None) -> bool:
    if response is None:
        return False
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref", "").endswith("/HTTPValidationError"))
