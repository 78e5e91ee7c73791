"""Refusing request bodies over a size limit with 413, before they are read or parsed.

A declared `Content-Length` over the limit is answered at once; a body sent without one (or
with a false one) is counted as it arrives and refused as soon as it passes the limit, so a
client can never make the service buffer and parse more than `max_bytes`.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import problem_response

TOO_LARGE = 413


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self._detail = f"The request body is larger than {max_bytes} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._declared_length(scope) > self.max_bytes:
            response = problem_response(Request(scope), TOO_LARGE, detail=self._detail)
            await response(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # An HTTPException passes FastAPI's body parsing untouched and is rendered
                    # as a problem by the installed handlers.
                    raise HTTPException(TOO_LARGE, detail=self._detail)
            return message

        await self.app(scope, counted_receive, send)

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return 0
        return 0
