"""Giving every HTTP request an id, and echoing it back.

A caller's `X-Request-ID` is kept when it is sane (short, plain characters), otherwise one is
generated; `X-Correlation-ID` names work that spans services and defaults to the request id.
Both are bound for the request's duration (logs and operation metadata read them from there)
and returned as response headers.

An unhandled exception is answered by Starlette's `ServerErrorMiddleware`, which sits outside
every added middleware. So the ids stay bound when the application raises: that middleware's
handler (`app.api.problems`) then logs the error with them and puts `echoed_headers()` on the
500. The server runs each request in a task of its own, so nothing outlives the request.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.infrastructure.observability.request_context import (
    RequestIds,
    acceptable_id,
    bind_request_ids,
    current_request_ids,
    new_request_id,
    unbind_request_ids,
)

REQUEST_ID_HEADER = b"x-request-id"
CORRELATION_ID_HEADER = b"x-correlation-id"


def echoed_headers() -> dict[str, str]:
    """The bound request ids as response headers (none outside a request)."""
    ids = current_request_ids()
    if ids is None:
        return {}
    return {
        REQUEST_ID_HEADER.decode(): ids.request_id,
        CORRELATION_ID_HEADER.decode(): ids.correlation_id,
    }


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id: str | None = None
        correlation_id: str | None = None
        for name, value in scope["headers"]:
            if name == REQUEST_ID_HEADER:
                request_id = acceptable_id(value)
            elif name == CORRELATION_ID_HEADER:
                correlation_id = acceptable_id(value)
        request_id = request_id or new_request_id()
        ids = RequestIds(request_id=request_id, correlation_id=correlation_id or request_id)
        echoed = [
            (REQUEST_ID_HEADER, ids.request_id.encode("ascii")),
            (CORRELATION_ID_HEADER, ids.correlation_id.encode("ascii")),
        ]

        async def send_with_ids(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A new list: the response object may reuse its own header list.
                message = {**message, "headers": [*message.get("headers", ()), *echoed]}
            await send(message)

        token = bind_request_ids(ids)
        await self.app(scope, receive, send_with_ids)
        # Not in a `finally`: see the module's docstring.
        unbind_request_ids(token)
