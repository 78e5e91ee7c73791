"""A bus middleware that ties each operation to the request (or operation) that started it.

It fills the gaps in the message's metadata: the correlation id of the HTTP request being
served, the user id of the principal, and, for an operation dispatched from inside another
one, the outer operation as its cause. It also binds the operation id while the operation runs,
so every log line written meanwhile names it. Put it first: the middlewares after it read
what it fills in.
"""

from __future__ import annotations

from typing import Any, TypeVar

from app.core.cqrs import BusMiddleware, Message, NextHandler, OperationResult
from app.infrastructure.observability.request_context import (
    bind_operation_id,
    current_correlation_id,
    current_operation_id,
    unbind_operation_id,
)

ResultT = TypeVar("ResultT", bound=OperationResult[Any])


class OperationContextMiddleware(BusMiddleware):
    async def __call__(self, operation: Message, next_handler: NextHandler[ResultT]) -> ResultT:
        metadata = operation.metadata
        if metadata.correlation_id is None:
            metadata.correlation_id = current_correlation_id()
        if metadata.user_id is None and metadata.principal is not None:
            metadata.user_id = metadata.principal.user_id
        outer_operation_id = current_operation_id()
        if metadata.causation_id is None and outer_operation_id is not None:
            metadata.causation_id = outer_operation_id
        token = bind_operation_id(metadata.operation_id)
        try:
            return await next_handler()
        finally:
            unbind_operation_id(token)
