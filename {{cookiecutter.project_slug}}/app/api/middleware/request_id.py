"""Giving every HTTP request an id, and echoing it back.

A caller's `X-Request-ID` is kept when it is sane (short, plain characters), otherwise one is
generated; `X-Correlation-ID` names work that spans services and defaults to the request id.
Both are bound for the request's duration (logs and operation metadata read them from there)
and returned as response headers.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.infrastructure.observability.request_context import (
    RequestIds,
    acceptable_id,
    bind_request_ids,
    new_request_id,
    unbind_request_ids,
)

REQUEST_ID_HEADER = b"x-request-id"
CORRELATION_ID_HEADER = b"x-correlation-id"


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
        try:
            await self.app(scope, receive, send_with_ids)
        finally:
            unbind_request_ids(token)
