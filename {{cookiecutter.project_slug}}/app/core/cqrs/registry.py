"""Which handler handles which message type.

`@command_handler(Cmd)` and `@query_handler(Q)` record into the default registry when the
handler's module is imported (or into the `registry=` given, as tests do). Registering the same
class again is harmless, and so is re-importing its module: a class with the same module and
qualified name replaces the old one. A second, different handler for one message type is kept
too, and refused when a bus is built, unless the bus allows overriding (then the last wins).
Dispatch is by exact message type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from app.core.cqrs.errors import CQRSConfigurationError, DuplicateHandlerError, HandlerNotFoundError
from app.core.cqrs.handlers import BaseCommandHandler, BaseQueryHandler
from app.core.cqrs.messages import ICommand, IQuery, Message, MessageKind

CommandHandlerClassT = TypeVar("CommandHandlerClassT", bound=type[BaseCommandHandler[Any, Any]])
QueryHandlerClassT = TypeVar("QueryHandlerClassT", bound=type[BaseQueryHandler[Any, Any]])


@dataclass(frozen=True, slots=True)
class HandlerRegistration:
    kind: MessageKind
    message_type: type[Message]
    handler_class: type[Any]
    timeout_seconds: float | None = None
    cache_enabled: bool = True


class HandlerRegistry:
    def __init__(self) -> None:
        self._tables: dict[MessageKind, dict[type[Message], list[HandlerRegistration]]] = {
            kind: {} for kind in MessageKind
        }

    def register_command_handler(
        self,
        command_type: type[ICommand[Any]],
        handler_class: type[BaseCommandHandler[Any, Any]],
        *,
        timeout_seconds: float | None = None,
    ) -> None:
        _require_subclass(command_type, ICommand, "a command type")
        _require_subclass(handler_class, BaseCommandHandler, "a command handler class")
        if timeout_seconds is not None and not timeout_seconds > 0:
            raise CQRSConfigurationError(f"timeout_seconds must be > 0, not {timeout_seconds!r}")
        self._add(
            HandlerRegistration(
                MessageKind.COMMAND, command_type, handler_class, timeout_seconds=timeout_seconds
            )
        )

    def register_query_handler(
        self,
        query_type: type[IQuery[Any]],
        handler_class: type[BaseQueryHandler[Any, Any]],
        *,
        cache_enabled: bool = True,
        timeout_seconds: float | None = None,
    ) -> None:
        _require_subclass(query_type, IQuery, "a query type")
        _require_subclass(handler_class, BaseQueryHandler, "a query handler class")
        if timeout_seconds is not None and not timeout_seconds > 0:
            raise CQRSConfigurationError(f"timeout_seconds must be > 0, not {timeout_seconds!r}")
        self._add(
            HandlerRegistration(
                MessageKind.QUERY,
                query_type,
                handler_class,
                timeout_seconds=timeout_seconds,
                cache_enabled=cache_enabled,
            )
        )

    def registration_for(
        self, kind: MessageKind, message_type: type[Message], *, allow_override: bool
    ) -> HandlerRegistration:
        registrations = self._tables[kind].get(message_type)
        if not registrations:
            raise HandlerNotFoundError(message_type)
        if len(registrations) > 1 and not allow_override:
            raise DuplicateHandlerError(
                message_type, registrations[0].handler_class, registrations[-1].handler_class
            )
        return registrations[-1]

    def message_types(self, kind: MessageKind) -> tuple[type[Message], ...]:
        return tuple(self._tables[kind])

    def check_conflicts(self, *, allow_override: bool) -> None:
        """Raise DuplicateHandlerError for the first message type with two handlers."""
        if allow_override:
            return
        for table in self._tables.values():
            for message_type, registrations in table.items():
                if len(registrations) > 1:
                    raise DuplicateHandlerError(
                        message_type,
                        registrations[0].handler_class,
                        registrations[-1].handler_class,
                    )

    def get_handler_count(self) -> dict[str, int]:
        commands = len(self._tables[MessageKind.COMMAND])
        queries = len(self._tables[MessageKind.QUERY])
        return {"commands": commands, "queries": queries, "total": commands + queries}

    def _add(self, registration: HandlerRegistration) -> None:
        registrations = self._tables[registration.kind].setdefault(registration.message_type, [])
        for index, existing in enumerate(registrations):
            if _same_definition(existing.handler_class, registration.handler_class):
                registrations[index] = registration
                return
        registrations.append(registration)


_default_registry = HandlerRegistry()


def default_registry() -> HandlerRegistry:
    """The registry the decorators use when not given one, and `get_cqrs_bus()` reads."""
    return _default_registry


def register_command_handler(
    command_type: type[ICommand[Any]],
    handler_class: type[BaseCommandHandler[Any, Any]],
    *,
    timeout_seconds: float | None = None,
    registry: HandlerRegistry | None = None,
) -> None:
    target = registry if registry is not None else _default_registry
    target.register_command_handler(command_type, handler_class, timeout_seconds=timeout_seconds)


def register_query_handler(
    query_type: type[IQuery[Any]],
    handler_class: type[BaseQueryHandler[Any, Any]],
    *,
    cache_enabled: bool = True,
    timeout_seconds: float | None = None,
    registry: HandlerRegistry | None = None,
) -> None:
    target = registry if registry is not None else _default_registry
    target.register_query_handler(
        query_type, handler_class, cache_enabled=cache_enabled, timeout_seconds=timeout_seconds
    )


def command_handler(
    command_type: type[ICommand[Any]],
    *,
    timeout_seconds: float | None = None,
    registry: HandlerRegistry | None = None,
) -> Callable[[CommandHandlerClassT], CommandHandlerClassT]:
    """Register the decorated class as the handler of `command_type`."""

    def register(handler_class: CommandHandlerClassT) -> CommandHandlerClassT:
        register_command_handler(
            command_type, handler_class, timeout_seconds=timeout_seconds, registry=registry
        )
        return handler_class

    return register


def query_handler(
    query_type: type[IQuery[Any]],
    *,
    cache_enabled: bool = True,
    timeout_seconds: float | None = None,
    registry: HandlerRegistry | None = None,
) -> Callable[[QueryHandlerClassT], QueryHandlerClassT]:
    """Register the decorated class as the handler of `query_type`.

    `cache_enabled=False` switches off the handler's `@cached_query` for this registration.
    """

    def register(handler_class: QueryHandlerClassT) -> QueryHandlerClassT:
        register_query_handler(
            query_type,
            handler_class,
            cache_enabled=cache_enabled,
            timeout_seconds=timeout_seconds,
            registry=registry,
        )
        return handler_class

    return register


def _same_definition(first: type, second: type) -> bool:
    # A module imported twice defines a new class object with the same name.
    return first is second or (first.__module__, first.__qualname__) == (
        second.__module__,
        second.__qualname__,
    )


def _require_subclass(candidate: object, base: type, what: str) -> None:
    if not (isinstance(candidate, type) and issubclass(candidate, base)):
        raise CQRSConfigurationError(f"{candidate!r} is not {what} (a {base.__name__} subclass)")
