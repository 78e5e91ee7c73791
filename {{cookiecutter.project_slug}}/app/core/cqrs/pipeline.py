"""Building one message type's pipeline: a reverse fold of its steps around the handler.

The bus builds each pipeline once, at the first dispatch of its message type, and keeps it
until a middleware is added. The order is documented in `app.core.cqrs.decorators`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from app.core.cqrs.authorization import AuthorizationStep, Authorizer
from app.core.cqrs.caching import CacheStep, PassThroughCacheStep
from app.core.cqrs.errors import CQRSConfigurationError
from app.core.cqrs.handlers import BaseCommandHandler, BaseQueryHandler
from app.core.cqrs.messages import ICommand, IQuery, Message, MessageKind
from app.core.cqrs.middleware import Middleware, MiddlewareChain, middleware_name
from app.core.cqrs.options import handler_options
from app.core.cqrs.ports import QueryCache, UnitOfWorkFactory
from app.core.cqrs.registry import HandlerRegistration
from app.core.cqrs.results import CommandResult, OperationResult, OperationStatus, QueryResult
from app.core.cqrs.retry import RetryStep
from app.core.cqrs.timeout import TimeoutStep
from app.core.cqrs.transaction import TransactionStep
from app.core.cqrs.types import RandomFraction, Sleep, Step
from app.core.cqrs.validation import MessageValidator, validator_for

_logger = logging.getLogger(__name__)

_SUCCESS = OperationStatus.SUCCESS


@dataclass(frozen=True, slots=True)
class PipelinePorts:
    """What the steps need from outside, as given to the bus."""

    unit_of_work_factory: UnitOfWorkFactory | None
    query_cache: QueryCache | None
    authorizer: Authorizer
    sleep: Sleep
    random_fraction: RandomFraction


class InvokeCommandHandler:
    __slots__ = ("_affected_entities", "_handle", "label")

    def __init__(self, handler: BaseCommandHandler[Any, Any]) -> None:
        self.label = f"handler:{type(handler).__name__}"
        self._handle = handler._handle
        overrides = type(handler)._get_affected_entities is not (
            BaseCommandHandler._get_affected_entities
        )
        self._affected_entities = handler._get_affected_entities if overrides else None

    async def __call__(self, command: ICommand[Any]) -> CommandResult[Any]:
        data = await self._handle(command)
        if self._affected_entities is None:
            return CommandResult(_SUCCESS, data)
        affected = await self._affected_entities(command, data)
        return CommandResult(_SUCCESS, data, affected_entities=affected)


class InvokeQueryHandler:
    __slots__ = ("_handle", "_pagination_info", "label")

    def __init__(self, handler: BaseQueryHandler[Any, Any]) -> None:
        self.label = f"handler:{type(handler).__name__}"
        self._handle = handler._handle
        overrides = type(handler)._get_pagination_info is not (
            BaseQueryHandler._get_pagination_info
        )
        self._pagination_info = handler._get_pagination_info if overrides else None

    async def __call__(self, query: IQuery[Any]) -> QueryResult[Any]:
        data = await self._handle(query)
        if self._pagination_info is None:
            return QueryResult(_SUCCESS, data)
        pagination = await self._pagination_info(query, data)
        return QueryResult(_SUCCESS, data, pagination=pagination)


class ValidationStep:
    """Fails invalid messages with VALIDATION_ERROR; lets valid ones through.

    Plain (not async) on purpose: a valid message goes straight on, costing no await. A
    `validate()` that raises on well-typed fields is a bug: it becomes a FAILED result.
    """

    label: ClassVar[str] = "validation"
    __slots__ = ("_result_type", "_validator", "next_step")

    def __init__(
        self,
        next_step: Step[OperationResult[Any]],
        validator: MessageValidator,
        result_type: type[OperationResult[Any]],
    ) -> None:
        self.next_step = next_step
        self._validator = validator
        self._result_type = result_type

    def __call__(self, message: Message) -> Awaitable[OperationResult[Any]]:
        errors = self._validator.find_errors(message)
        if errors is None:
            return self.next_step(message)
        return _ready(self._result_type(OperationStatus.VALIDATION_ERROR, errors=errors))


async def _ready(result: OperationResult[Any]) -> OperationResult[Any]:
    return result


def compose_pipeline(
    registration: HandlerRegistration,
    handler: BaseCommandHandler[Any, Any] | BaseQueryHandler[Any, Any],
    middlewares: Sequence[Middleware],
    ports: PipelinePorts,
) -> Step[Any]:
    is_query = registration.kind is MessageKind.QUERY
    result_type: type[OperationResult[Any]] = QueryResult if is_query else CommandResult
    options = handler_options(registration.handler_class)
    # Each step wraps the one before, starting at the handler. Steps are linked by their bound
    # `__call__`, which is cheaper to call than the step object itself.
    step: Step[Any]
    if isinstance(handler, BaseQueryHandler):
        step = InvokeQueryHandler(handler).__call__
    else:
        step = InvokeCommandHandler(handler).__call__
    if options.transaction is not None:
        if ports.unit_of_work_factory is not None:
            step = TransactionStep(
                step, ports.unit_of_work_factory, options.transaction, result_type
            ).__call__
        else:
            _logger.warning(
                "%s is @transactional but the bus has no unit_of_work_factory: "
                "it runs without a transaction",
                registration.handler_class.__qualname__,
            )
    if is_query and options.cache is not None and registration.cache_enabled:
        if ports.query_cache is not None:
            step = CacheStep(step, ports.query_cache, options.cache).__call__
        else:
            step = PassThroughCacheStep(step, options.cache).__call__
    if options.retry is not None:
        step = RetryStep(step, options.retry, ports.sleep, ports.random_fraction).__call__
    if registration.timeout_seconds is not None:
        step = TimeoutStep(step, registration.timeout_seconds).__call__
    if options.authorization is not None:
        _check_field_exists(registration, options.authorization.resource_id_field)
        step = AuthorizationStep(
            step, ports.authorizer, options.authorization, result_type
        ).__call__
    validator = validator_for(registration.message_type)
    if validator.checks_anything:
        step = ValidationStep(step, validator, result_type).__call__
    if middlewares:
        step = MiddlewareChain(middlewares, step).__call__
    return step


def describe_steps(step: Step[Any]) -> tuple[str, ...]:
    labels: list[str] = []
    linked: object | None = step
    while linked is not None:
        current = getattr(linked, "__self__", linked)  # the step behind a bound __call__
        if isinstance(current, MiddlewareChain):
            labels.extend(f"middleware:{middleware_name(m)}" for m in current.middlewares)
        else:
            labels.append(str(getattr(current, "label", type(current).__qualname__)))
        linked = getattr(current, "next_step", None)
    return tuple(labels)


def _check_field_exists(registration: HandlerRegistration, field_name: str | None) -> None:
    message_type = registration.message_type
    if field_name is None or not dataclasses.is_dataclass(message_type):
        return
    if field_name not in {f.name for f in dataclasses.fields(message_type)}:
        raise CQRSConfigurationError(
            f"@authorize on {registration.handler_class.__qualname__} names resource_id_field "
            f"{field_name!r}, which {message_type.__qualname__} does not have"
        )
