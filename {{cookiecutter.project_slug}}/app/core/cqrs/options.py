"""Per-handler options attached by the decorators and read by the bus when it builds a chain."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from app.core.cqrs.ports import IsolationLevel

_OPTIONS_ATTRIBUTE = "__cqrs_handler_options__"


@dataclass(frozen=True, slots=True)
class TransactionOptions:
    isolation_level: IsolationLevel | None = None
    rollback_on: tuple[type[BaseException], ...] = ()


@dataclass(frozen=True, slots=True)
class AuthorizationRequirement:
    permissions: frozenset[str]
    resource_id_field: str | None = None
    allow_admin_override: bool = True


@dataclass(frozen=True, slots=True)
class CacheOptions:
    ttl_seconds: int | None = None
    vary_by: tuple[str, ...] | None = None
    cache_null_results: bool = False


@dataclass(frozen=True, slots=True)
class RetryOptions:
    max_attempts: int
    delay_seconds: float
    backoff_multiplier: float
    retry_on: tuple[type[BaseException], ...]


@dataclass(frozen=True, slots=True)
class HandlerOptions:
    transaction: TransactionOptions | None = None
    authorization: AuthorizationRequirement | None = None
    cache: CacheOptions | None = None
    retry: RetryOptions | None = None


NO_OPTIONS = HandlerOptions()


def handler_options(handler_class: type) -> HandlerOptions:
    """The options declared on the class or inherited from a decorated base class."""
    options = getattr(handler_class, _OPTIONS_ATTRIBUTE, NO_OPTIONS)
    assert isinstance(options, HandlerOptions)
    return options


def own_handler_options(handler_class: type) -> HandlerOptions:
    """The options declared on this very class (not inherited)."""
    options = vars(handler_class).get(_OPTIONS_ATTRIBUTE, NO_OPTIONS)
    assert isinstance(options, HandlerOptions)
    return options


def attach_handler_options(handler_class: type, **changes: Any) -> None:
    options = dataclasses.replace(handler_options(handler_class), **changes)
    setattr(handler_class, _OPTIONS_ATTRIBUTE, options)
