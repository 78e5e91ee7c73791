"""Bus middleware: code that runs around every command and/or query.

A middleware is an async callable `(operation, next_handler) -> result`, as in the pattern
guide; `await next_handler()` runs the rest of the pipeline. Write it as a function, or as a
`BusMiddleware` subclass whose `applies_to` says which message kinds it wants. One instance
serves every call at once, so keep no per-call state on `self`.

The chain is built once per message type. Each `next_handler` is a pre-built object that finds
the operation in a ContextVar set once per dispatch, so dispatching allocates no closures.
"""

from __future__ import annotations

import types
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from typing import Any, ClassVar, TypeVar

from app.core.cqrs.messages import Message, MessageKind
from app.core.cqrs.results import OperationResult
from app.core.cqrs.types import NextHandler, Step

ResultT = TypeVar("ResultT", bound=OperationResult[Any])

Middleware = Callable[[Any, Any], Awaitable[Any]]

ALL_KINDS: frozenset[MessageKind] = frozenset(MessageKind)

_current_operation: ContextVar[Message] = ContextVar("cqrs_current_operation")


class BusMiddleware(ABC):
    """A middleware as a class. Add it with `bus.add_middleware(instance)`."""

    applies_to: ClassVar[frozenset[MessageKind]] = ALL_KINDS

    @abstractmethod
    async def __call__(self, operation: Message, next_handler: NextHandler[ResultT]) -> ResultT:
        """Do something around `await next_handler()` and return its result."""


def middleware_kinds(middleware: object) -> frozenset[MessageKind]:
    """The message kinds a middleware declares (functions may set `applies_to` too)."""
    kinds = getattr(middleware, "applies_to", ALL_KINDS)
    return frozenset(kinds)


def fast_callable(target: Any) -> Any:
    """`target`, or its bound `__call__` when that is Python code: calling an instance goes
    through a slow generic path, a bound method does not."""
    if isinstance(target, types.FunctionType | types.MethodType):
        return target
    for cls in type(target).__mro__:
        if "__call__" in vars(cls):
            if isinstance(vars(cls)["__call__"], types.FunctionType):
                return target.__call__
            break
    return target


def middleware_name(middleware: object) -> str:
    name = getattr(middleware, "__name__", None) or type(middleware).__name__
    return str(name)


class _Resume:
    """The `next_handler` given to one middleware: calls the following middleware."""

    __slots__ = ("_following", "_following_next")

    def __init__(self, following: Middleware, following_next: Callable[[], Awaitable[Any]]):
        self._following = following
        self._following_next = following_next

    def __call__(self) -> Awaitable[Any]:
        return self._following(_current_operation.get(), self._following_next)


class _Enter:
    """The `next_handler` given to the innermost middleware: enters the handler's steps."""

    __slots__ = ("_step",)

    def __init__(self, step: Step[Any]) -> None:
        self._step = step

    def __call__(self) -> Awaitable[Any]:
        return self._step(_current_operation.get())


class MiddlewareChain:
    """Bus middlewares, outermost first, around the handler's steps."""

    label: ClassVar[str] = "middleware"
    __slots__ = ("_first", "_first_next", "middlewares", "next_step")

    def __init__(self, middlewares: Sequence[Middleware], next_step: Step[Any]) -> None:
        if not middlewares:
            raise ValueError("a middleware chain needs at least one middleware")
        self.middlewares = tuple(middlewares)
        self.next_step = next_step
        # Bound methods, not instances, are handed out and chained: they are cheaper to call.
        next_handler: Callable[[], Awaitable[Any]] = _Enter(next_step).__call__
        for middleware in reversed(self.middlewares[1:]):
            next_handler = _Resume(fast_callable(middleware), next_handler).__call__
        self._first = fast_callable(self.middlewares[0])
        self._first_next = next_handler

    async def __call__(self, operation: Message) -> Any:
        token = _current_operation.set(operation)
        try:
            return await self._first(operation, self._first_next)
        finally:
            _current_operation.reset(token)
