from __future__ import annotations

import pytest
from fastapi import FastAPI
from starlette.middleware.errors import ServerErrorMiddleware

from app.api.middleware.outermost import wrap_outermost
from app.api.middleware.request_id import RequestIdMiddleware


def test_a_wrapped_middleware_sits_outside_the_server_error_middleware():
    app = FastAPI()
    wrap_outermost(app, RequestIdMiddleware)

    stack = app.build_middleware_stack()

    assert isinstance(stack, RequestIdMiddleware)
    assert isinstance(stack.app, ServerErrorMiddleware)


def test_the_last_middleware_wrapped_is_the_outermost():
    order: list[str] = []

    def named(name: str):
        def factory(inner):
            order.append(name)
            return inner

        return factory

    app = FastAPI()
    wrap_outermost(app, named("inner"))
    wrap_outermost(app, named("outer"))
    app.build_middleware_stack()

    assert order == ["inner", "outer"]


async def test_wrapping_after_the_app_started_is_refused():
    app = FastAPI()
    async with app.router.lifespan_context(app):
        app.middleware_stack = app.build_middleware_stack()
    with pytest.raises(RuntimeError, match="after the application has started"):
        wrap_outermost(app, RequestIdMiddleware)
