"""Wrapping an application's whole middleware stack, error handling included.

`app.add_middleware` places middleware inside Starlette's `ServerErrorMiddleware`, which turns
unhandled exceptions into 500 responses: a middleware there never sees those responses, and
logs written while rendering them would lack the request id. Wrapping the result of
`build_middleware_stack` puts a middleware outside it (OpenTelemetry's FastAPI instrumentation
does the same). The last one installed ends up outermost.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.types import ASGIApp

MiddlewareFactory = Callable[[ASGIApp], ASGIApp]


def wrap_outermost(app: Starlette, middleware: MiddlewareFactory) -> None:
    if app.middleware_stack is not None:
        raise RuntimeError("Cannot add middleware after the application has started")
    build_inner = app.build_middleware_stack

    def build_middleware_stack() -> ASGIApp:
        return middleware(build_inner())

    # An instance attribute shadows the method; Starlette calls it when it builds the stack.
    setattr(app, "build_middleware_stack", build_middleware_stack)  # noqa: B010
