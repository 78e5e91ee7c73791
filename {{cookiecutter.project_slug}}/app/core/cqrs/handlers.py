"""Handler base classes: one handler per message type, business logic in `_handle`.

Handlers receive their dependencies through the constructor (the DI container builds them)
and keep no per-call state on `self`: one instance serves every call of its bus.
`await handler.handle(message)` runs the handler alone (validation, `_handle`, the hooks,
errors mapped to statuses) without the bus's decorators, which is what unit tests need.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Generic, TypeVar

from app.core.cqrs.caching import uncached_info
from app.core.cqrs.failures import failure_for
from app.core.cqrs.messages import ICommand, IQuery
from app.core.cqrs.options import handler_options
from app.core.cqrs.results import CommandResult, OperationStatus, QueryResult
from app.core.cqrs.validation import validation_errors

CommandT = TypeVar("CommandT", bound=ICommand[Any])
QueryT = TypeVar("QueryT", bound=IQuery[Any])
ResultT = TypeVar("ResultT")


class BaseCommandHandler(ABC, Generic[CommandT, ResultT]):
    @abstractmethod
    async def _handle(self, command: CommandT) -> ResultT:
        """Change state and return what the caller needs (often an id, or None)."""

    async def _get_affected_entities(
        self, command: CommandT, result: ResultT
    ) -> dict[str, Any] | None:
        """Describe what changed, for `CommandResult.affected_entities`."""
        return None

    async def handle(self, command: CommandT) -> CommandResult[ResultT]:
        invalid = validation_errors(command)
        if invalid:
            return CommandResult(OperationStatus.VALIDATION_ERROR, errors=invalid)
        try:
            data = await self._handle(command)
            affected = await self._get_affected_entities(command, data)
        except Exception as exc:
            status, errors = failure_for(exc, command)
            return CommandResult(status, errors=errors)
        return CommandResult(OperationStatus.SUCCESS, data, affected_entities=affected)


class BaseQueryHandler(ABC, Generic[QueryT, ResultT]):
    @abstractmethod
    async def _handle(self, query: QueryT) -> ResultT:
        """Read and return the data; never change state."""

    async def _get_pagination_info(self, query: QueryT, result: ResultT) -> dict[str, Any] | None:
        """Describe the page returned, for `QueryResult.pagination`."""
        return None

    async def handle(self, query: QueryT) -> QueryResult[ResultT]:
        cache_info = uncached_info(query, handler_options(type(self)).cache, backend=None)
        invalid = validation_errors(query)
        if invalid:
            return QueryResult(OperationStatus.VALIDATION_ERROR, errors=invalid)
        try:
            data = await self._handle(query)
            pagination = await self._get_pagination_info(query, data)
        except Exception as exc:
            status, errors = failure_for(exc, query)
            return QueryResult(status, errors=errors, cache_info=cache_info)
        return QueryResult(
            OperationStatus.SUCCESS, data, pagination=pagination, cache_info=cache_info
        )
