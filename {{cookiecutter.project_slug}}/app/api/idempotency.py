"""The `Idempotency-Key` request header: a retried POST gets the first attempt's response.

`IdempotentRequest.run_once(request_body, run)` runs `run` once per key. A repeat with the same
body replays the recorded response (with `Idempotent-Replayed: true`); the same key with a
different body is refused with 422; a repeat while the first is still running gets 409. Keys
are scoped to the caller and the route, and the body is remembered only as a keyed digest.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Header, Request, Response

from app.api.operations import CurrentOperations
from app.api.problems import ProblemError, problem_response
from app.infrastructure.idempotency.store import (
    IdempotencyStore,
    KeyReused,
    RecordedResponse,
    Replay,
    Reserved,
    StillRunning,
)
from app.infrastructure.idempotency.tables import MAX_KEY_LENGTH

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_RECORDED_HEADERS = ("content-type", "location")


class IdempotentRequest:
    __slots__ = ("_key", "_request", "_scope", "_secret", "_store")

    def __init__(
        self,
        request: Request,
        store: IdempotencyStore,
        *,
        key: str | None,
        caller: str | None,
        secret: str,
    ) -> None:
        self._request = request
        self._store = store
        self._key = key
        self._secret = secret.encode()
        route = f"{caller or '-'}\n{request.method}\n{request.url.path}"
        self._scope = hashlib.sha256(route.encode()).hexdigest()

    async def run_once(self, request_body: str, run: Callable[[], Awaitable[Response]]) -> Response:
        """`run()`'s response, or the recorded one when this key has run before."""
        key = self._key
        if key is None:
            return await run()
        fingerprint = hmac.new(self._secret, request_body.encode(), hashlib.sha256).hexdigest()
        reservation = await self._store.reserve(self._scope, key, fingerprint)
        match reservation:
            case Replay(response=recorded):
                headers = {**recorded.headers, REPLAYED_HEADER: "true"}
                return Response(recorded.body, recorded.status_code, headers)
            case KeyReused():
                raise ProblemError(
                    422,
                    detail="This Idempotency-Key was already used with a different request",
                    errors={HEADER: "Use a new key for a different request"},
                )
            case StillRunning():
                raise ProblemError(
                    409,
                    detail="A request with this Idempotency-Key is still running; retry shortly",
                    headers={"Retry-After": "1"},
                )
            case Reserved():
                return await self._run_reserved(key, run)

    async def _run_reserved(self, key: str, run: Callable[[], Awaitable[Response]]) -> Response:
        try:
            response = await run()
        except ProblemError as problem:
            response = problem_response(
                self._request,
                problem.status,
                title=problem.title,
                detail=problem.detail,
                errors=problem.errors,
                headers=problem.headers,
            )
        except BaseException:
            await self._release(key)
            raise
        if response.status_code >= 500:
            # The server failed, not the request: let a retry run it afresh.
            await self._release(key)
            return response
        recorded = RecordedResponse(
            status_code=response.status_code,
            body=bytes(response.body),
            headers={
                name: response.headers[name]
                for name in _RECORDED_HEADERS
                if name in response.headers
            },
        )
        try:
            await self._store.record(self._scope, key, recorded)
        except Exception:
            # The work is done and must be reported; a retry after the lease runs it again.
            logger.exception("could not record the response for an idempotency key")
        return response

    async def _release(self, key: str) -> None:
        try:
            await self._store.release(self._scope, key)
        except Exception:
            logger.exception("could not release an idempotency key")


async def idempotent_request(
    request: Request,
    operations: CurrentOperations,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias=HEADER,
            min_length=1,
            max_length=MAX_KEY_LENGTH,
            description="Send the same key again to retry without running the request twice",
        ),
    ] = None,
) -> IdempotentRequest:
    caller = operations.principal.user_id if operations.principal is not None else None
    container = request.app.state.container
    return IdempotentRequest(
        request,
        container.idempotency_store(),
        key=idempotency_key,
        caller=caller,
        secret=request.app.state.settings.secret_key,
    )


Idempotency = Annotated[IdempotentRequest, Depends(idempotent_request)]
