"""The bus: sends each command and query through its pre-built pipeline to its handler.

Everything that goes wrong while an operation runs comes back as a failed result. The bus
raises only `CQRSUsageError`s, for wiring bugs: no handler, two handlers, a handler that
cannot be built, a middleware added for a message kind it does not apply to.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any, TypeVar

from app.core.cqrs.authorization import Authorizer, PermissionSetAuthorizer
from app.core.cqrs.context import require_unit_of_work
from app.core.cqrs.errors import CQRSConfigurationError
from app.core.cqrs.events import DomainEvent
from app.core.cqrs.failures import failure_for
from app.core.cqrs.messages import ICommand, IQuery, Message, MessageKind
from app.core.cqrs.middleware import Middleware, middleware_kinds, middleware_name
from app.core.cqrs.pipeline import PipelinePorts, compose_pipeline, describe_steps
from app.core.cqrs.ports import QueryCache, UnitOfWorkFactory
from app.core.cqrs.registry import HandlerRegistry, default_registry
from app.core.cqrs.results import CommandResult, QueryResult
from app.core.cqrs.types import (
    CommandMiddleware,
    HandlerFactory,
    QueryMiddleware,
    RandomFraction,
    Sleep,
    Step,
)

ResultT = TypeVar("ResultT")
HandlerT = TypeVar("HandlerT")


def _instantiate(handler_class: type[HandlerT]) -> HandlerT:
    return handler_class()


class CQRSBus:
    """Implements `CommandSender`, `QuerySender` and `EventPublisher`.

    Handlers are built by `handler_factory` (default: the class called with no arguments),
    once per bus, at the first dispatch of their message type.
    """

    def __init__(
        self,
        *,
        registry: HandlerRegistry | None = None,
        handler_factory: HandlerFactory | None = None,
        unit_of_work_factory: UnitOfWorkFactory | None = None,
        query_cache: QueryCache | None = None,
        authorizer: Authorizer | None = None,
        allow_handler_override: bool = False,
        sleep: Sleep = asyncio.sleep,
        random_fraction: RandomFraction = random.random,
    ) -> None:
        self._registry = registry if registry is not None else default_registry()
        self._registry.check_conflicts(allow_override=allow_handler_override)
        self._allow_handler_override = allow_handler_override
        self._handler_factory: HandlerFactory = handler_factory or _instantiate
        self._ports = PipelinePorts(
            unit_of_work_factory=unit_of_work_factory,
            query_cache=query_cache,
            authorizer=authorizer if authorizer is not None else PermissionSetAuthorizer(),
            sleep=sleep,
            random_fraction=random_fraction,
        )
        self._middlewares: dict[MessageKind, list[Middleware]] = {kind: [] for kind in MessageKind}
        self._pipelines: dict[MessageKind, dict[type[Message], Step[Any]]] = {
            kind: {} for kind in MessageKind
        }
        self._command_pipelines = self._pipelines[MessageKind.COMMAND]
        self._query_pipelines = self._pipelines[MessageKind.QUERY]
        self._handlers: dict[type[Any], Any] = {}

    @property
    def registry(self) -> HandlerRegistry:
        return self._registry

    async def execute_command(self, command: ICommand[ResultT]) -> CommandResult[ResultT]:
        pipeline = self._command_pipelines.get(type(command))
        if pipeline is None:
            pipeline = self._pipeline_for(MessageKind.COMMAND, type(command))
        try:
            result: CommandResult[ResultT] = await pipeline(command)
        except Exception as exc:
            status, errors = failure_for(exc, command)
            result = CommandResult(status, errors=errors)
        metadata = command._metadata
        if metadata is not None:
            result.operation_id = metadata.operation_id
        return result

    async def execute_query(self, query: IQuery[ResultT]) -> QueryResult[ResultT]:
        pipeline = self._query_pipelines.get(type(query))
        if pipeline is None:
            pipeline = self._pipeline_for(MessageKind.QUERY, type(query))
        try:
            result: QueryResult[ResultT] = await pipeline(query)
        except Exception as exc:
            status, errors = failure_for(exc, query)
            result = QueryResult(status, errors=errors)
        metadata = query._metadata
        if metadata is not None:
            result.operation_id = metadata.operation_id
        return result

    async def publish(self, *events: DomainEvent) -> None:
        """Record events in the running handler's unit of work (written when it commits)."""
        require_unit_of_work().record(*events)

    def add_command_middleware(self, middleware: CommandMiddleware) -> None:
        self._add_middleware(MessageKind.COMMAND, middleware)

    def add_query_middleware(self, middleware: QueryMiddleware) -> None:
        self._add_middleware(MessageKind.QUERY, middleware)

    def add_middleware(self, middleware: Middleware) -> None:
        """Add to every message kind the middleware's `applies_to` names (functions: both)."""
        for kind in MessageKind:
            if kind in middleware_kinds(middleware):
                self._add_middleware(kind, middleware)

    def build_pipelines(self) -> None:
        """Build every registered message type's pipeline now (handlers included), so wiring
        errors show at start-up instead of at the first request that needs them."""
        for kind in MessageKind:
            for message_type in self._registry.message_types(kind):
                if message_type not in self._pipelines[kind]:
                    self._pipeline_for(kind, message_type)

    def get_handler_count(self) -> dict[str, int]:
        return self._registry.get_handler_count()

    def describe_pipeline(self, message_type: type[Message]) -> tuple[str, ...]:
        """The steps a message type runs through, outermost first."""
        kind = MessageKind.COMMAND if issubclass(message_type, ICommand) else MessageKind.QUERY
        pipeline = self._pipelines[kind].get(message_type)
        if pipeline is None:
            pipeline = self._pipeline_for(kind, message_type)
        return describe_steps(pipeline)

    def _add_middleware(self, kind: MessageKind, middleware: Middleware) -> None:
        if kind not in middleware_kinds(middleware):
            raise CQRSConfigurationError(
                f"{middleware_name(middleware)} does not apply to {kind}s (see its applies_to)"
            )
        self._middlewares[kind].append(middleware)
        # Pipelines are rebuilt lazily with the new middleware, never per call.
        self._pipelines[kind].clear()

    def _pipeline_for(self, kind: MessageKind, message_type: type[Message]) -> Step[Any]:
        registration = self._registry.registration_for(
            kind, message_type, allow_override=self._allow_handler_override
        )
        handler = self._handler(registration.handler_class)
        pipeline = compose_pipeline(registration, handler, self._middlewares[kind], self._ports)
        self._pipelines[kind][message_type] = pipeline
        return pipeline

    def _handler(self, handler_class: type[Any]) -> Any:
        handler = self._handlers.get(handler_class)
        if handler is None:
            try:
                handler = self._handler_factory(handler_class)
            except Exception as exc:
                raise CQRSConfigurationError(
                    f"Could not build {handler_class.__qualname__}: {exc!r}"
                ) from exc
            self._handlers[handler_class] = handler
        return handler
