"""What routes send commands and queries through, on behalf of the request's principal.

Routes declare `operations: CurrentOperations`. Whether a principal is required is decided once,
at import: when the project has JWT authentication (`app.api.security`, present only with
auth=jwt) every route using this dependency requires a valid bearer token and the principal
goes into each message's metadata; without it routes are open and no principal is attached.
No module imports `app.api.security` by name, so deleting it leaves a project that still
imports and type-checks.

After a successful command, `Operations.command` waits (at most
`READ_YOUR_WRITES_TIMEOUT_SECONDS`) until the read models and the query cache reflect it, so
the caller's next query sees its own write.
"""

# No `from __future__ import annotations` here: the routes' dependency signatures are built
# inside functions, and FastAPI must see their annotations as objects, not strings.

import importlib
import importlib.util
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Self, TypeVar

from fastapi import Depends, Request

from app.core.cqrs import (
    CommandResult,
    CQRSBus,
    ICommand,
    IQuery,
    OperationMetadata,
    Principal,
    QueryResult,
)
from app.infrastructure.consistency.settlement import WriteSettlement

logger = logging.getLogger(__name__)

SECURITY_MODULE = "app.api.security"

ResultT = TypeVar("ResultT")


class Operations:
    __slots__ = ("_bus", "_settlement", "_wait_seconds", "principal")

    def __init__(
        self,
        bus: CQRSBus,
        settlement: WriteSettlement,
        *,
        wait_seconds: float,
        principal: Principal | None = None,
    ) -> None:
        self._bus = bus
        self._settlement = settlement
        self._wait_seconds = wait_seconds
        self.principal = principal

    def acting_for(self, principal: Principal) -> Self:
        return type(self)(
            self._bus, self._settlement, wait_seconds=self._wait_seconds, principal=principal
        )

    async def command(self, command: ICommand[ResultT]) -> CommandResult[ResultT]:
        self._attach_principal(command.metadata)
        with self._settlement.tracking() as ticket:
            result = await self._bus.execute_command(command)
        if result.is_success and self._wait_seconds > 0:
            settled = await ticket.wait(self._wait_seconds)
            if not settled:
                logger.warning(
                    "%s committed, but read models did not catch up within %ss",
                    command.message_name(),
                    self._wait_seconds,
                )
        return result

    async def query(self, query: IQuery[ResultT]) -> QueryResult[ResultT]:
        if self.principal is not None:
            self._attach_principal(query.metadata)
        return await self._bus.execute_query(query)

    def _attach_principal(self, metadata: OperationMetadata) -> None:
        principal = self.principal
        if principal is not None:
            metadata.principal = principal
            metadata.user_id = principal.user_id


def authentication_dependency() -> Callable[..., Awaitable[Principal]] | None:
    """The project's bearer-token dependency, or None when it has no authentication."""
    if importlib.util.find_spec(SECURITY_MODULE) is None:
        return None
    dependency: Callable[..., Awaitable[Principal]] = importlib.import_module(
        SECURITY_MODULE
    ).authenticated_principal
    return dependency


def _operations_dependency() -> Callable[..., Awaitable[Operations]]:
    if importlib.util.find_spec(SECURITY_MODULE) is None:

        async def open_operations(request: Request) -> Operations:
            operations: Operations = request.app.state.operations
            return operations

        return open_operations

    security = importlib.import_module(SECURITY_MODULE)
    principal_for_token: Callable[[Request, str | None], Awaitable[Principal]]
    principal_for_token = security.principal_for_token

    # The token is read here and the principal resolved by a plain call, not a nested
    # dependency: each level FastAPI solves costs CPU on every request.
    async def authenticated_operations(
        request: Request, token: Annotated[str | None, Depends(security.bearer_scheme)]
    ) -> Operations:
        operations: Operations = request.app.state.operations
        return operations.acting_for(await principal_for_token(request, token))

    return authenticated_operations


CurrentOperations = Annotated[Operations, Depends(_operations_dependency())]
