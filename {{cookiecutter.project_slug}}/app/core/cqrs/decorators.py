"""Cross-cutting behaviour, opted into per handler class.

Each decorator only attaches its options to the class; the bus reads them when it builds the
handler's pipeline, so the order in which you stack the decorators does not matter. Every
pipeline runs in this order, outermost first::

    bus middlewares (in the order added)
      -> validation        field types, then validate(): VALIDATION_ERROR
      -> authorization     @authorize: UNAUTHENTICATED / UNAUTHORIZED
      -> timeout           @command_handler(timeout_seconds=...): TIMEOUT
      -> retry             @retry_on_failure: every attempt gets a fresh transaction
      -> cache             @cached_query (queries): a hit opens no transaction
      -> transaction       @transactional: commit on success, roll back otherwise
      -> handler._handle

`CQRSBus.describe_pipeline(MessageType)` lists the steps one message type actually gets.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from app.core.cqrs.errors import CQRSConfigurationError, TransientError
from app.core.cqrs.handlers import BaseCommandHandler, BaseQueryHandler
from app.core.cqrs.options import (
    AuthorizationRequirement,
    CacheOptions,
    RetryOptions,
    TransactionOptions,
    attach_handler_options,
    own_handler_options,
)
from app.core.cqrs.ports import IsolationLevel

HandlerClassT = TypeVar(
    "HandlerClassT", bound=type[BaseCommandHandler[Any, Any] | BaseQueryHandler[Any, Any]]
)
QueryHandlerClassT = TypeVar("QueryHandlerClassT", bound=type[BaseQueryHandler[Any, Any]])

_ISOLATION_LEVELS = frozenset(typing.get_args(IsolationLevel))


def transactional(
    *,
    isolation_level: IsolationLevel | None = None,
    rollback_on: Iterable[type[Exception]] = (),
) -> Callable[[HandlerClassT], HandlerClassT]:
    """Run the handler in one unit of work from the bus's `unit_of_work_factory`.

    Commits when the handler succeeds; any exception or failed result rolls back. Exceptions
    in `rollback_on` are expected outcomes: rolled back and reported as a failed result (see
    `app.core.cqrs.transaction`). Code inside reaches the unit of work through
    `current_unit_of_work()`. On a bus without a factory the handler runs without one.
    """
    if isolation_level is not None and isolation_level not in _ISOLATION_LEVELS:
        raise CQRSConfigurationError(
            f"isolation_level must be one of {sorted(_ISOLATION_LEVELS)}, not {isolation_level!r}"
        )
    options = TransactionOptions(isolation_level, _exception_types(rollback_on, "rollback_on"))
    return _attaching("transaction", options)


def authorize(
    permissions: Iterable[str] = (),
    *,
    resource_id_field: str | None = None,
    allow_admin_override: bool = True,
) -> Callable[[HandlerClassT], HandlerClassT]:
    """Require a principal holding every permission in `permissions`.

    `resource_id_field` names a message field: a principal whose user id equals its value
    acts on their own record and needs no permission. Admins pass when `allow_admin_override`.
    """
    if isinstance(permissions, str):
        raise CQRSConfigurationError("permissions must be a list of strings, not one string")
    requirement = AuthorizationRequirement(
        frozenset(permissions), resource_id_field, allow_admin_override
    )
    return _attaching("authorization", requirement)


def cached_query(
    ttl_seconds: int | None = None,
    *,
    vary_by: Iterable[str] | None = None,
    cache_null_results: bool = False,
) -> Callable[[QueryHandlerClassT], QueryHandlerClassT]:
    """Cache successful results in the bus's `query_cache`.

    The key is the query class's module and name plus its `get_cache_key()`, or the `vary_by`
    fields when given; the time to live is `ttl_seconds`, or the query's `get_cache_ttl()`; the
    query's `get_cache_tags()` are stored with the entry. A None result is cached only when
    `cache_null_results`. Concurrent misses for one key run the handler once.
    """
    if ttl_seconds is not None and not ttl_seconds > 0:
        raise CQRSConfigurationError(f"ttl_seconds must be > 0, not {ttl_seconds!r}")
    if isinstance(vary_by, str):
        raise CQRSConfigurationError("vary_by must be a list of field names, not one string")
    options = CacheOptions(
        ttl_seconds, tuple(vary_by) if vary_by is not None else None, cache_null_results
    )

    def attach(handler_class: QueryHandlerClassT) -> QueryHandlerClassT:
        if not (isinstance(handler_class, type) and issubclass(handler_class, BaseQueryHandler)):
            raise CQRSConfigurationError(
                f"@cached_query applies to query handlers, not {handler_class!r}"
            )
        _attach(handler_class, "cache", options)
        return handler_class

    return attach


def retry_on_failure(
    max_attempts: int = 3,
    delay_seconds: float = 0.1,
    backoff_multiplier: float = 2.0,
    retry_on: Iterable[type[Exception]] = (TransientError,),
) -> Callable[[HandlerClassT], HandlerClassT]:
    """Run the handler again when it raises one of `retry_on` (default: transient errors).

    Up to `max_attempts` runs in all, waiting a jittered, growing delay between them.
    """
    if max_attempts < 1:
        raise CQRSConfigurationError(f"max_attempts must be >= 1, not {max_attempts!r}")
    if delay_seconds < 0:
        raise CQRSConfigurationError(f"delay_seconds must be >= 0, not {delay_seconds!r}")
    if backoff_multiplier < 1:
        raise CQRSConfigurationError(f"backoff_multiplier must be >= 1, not {backoff_multiplier!r}")
    retry_types = _exception_types(retry_on, "retry_on")
    if not retry_types:
        raise CQRSConfigurationError("retry_on must name at least one exception type")
    options = RetryOptions(max_attempts, delay_seconds, backoff_multiplier, retry_types)
    return _attaching("retry", options)


def _attaching(option: str, value: object) -> Callable[[HandlerClassT], HandlerClassT]:
    def attach(handler_class: HandlerClassT) -> HandlerClassT:
        if not (
            isinstance(handler_class, type)
            and issubclass(handler_class, BaseCommandHandler | BaseQueryHandler)
        ):
            raise CQRSConfigurationError(f"{handler_class!r} is not a handler class")
        _attach(handler_class, option, value)
        return handler_class

    return attach


def _attach(handler_class: type, option: str, value: object) -> None:
    if getattr(own_handler_options(handler_class), option) is not None:
        raise CQRSConfigurationError(
            f"{handler_class.__qualname__} declares its {option} options twice"
        )
    attach_handler_options(handler_class, **{option: value})


def _exception_types(
    candidates: Iterable[type[Exception]], name: str
) -> tuple[type[Exception], ...]:
    types = tuple(candidates)
    for candidate in types:
        if not (isinstance(candidate, type) and issubclass(candidate, Exception)):
            raise CQRSConfigurationError(
                f"{name} must list Exception subclasses, not {candidate!r}"
            )
    return types
