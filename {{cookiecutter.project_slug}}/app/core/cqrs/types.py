"""Callable shapes shared across the CQRS core: steps, next handlers, middleware, factories."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeAlias, TypeVar

from app.core.cqrs.messages import ICommand, IQuery
from app.core.cqrs.results import CommandResult, QueryResult

ResultT = TypeVar("ResultT")
HandlerT = TypeVar("HandlerT")

NextHandler: TypeAlias = Callable[[], Awaitable[ResultT]]
"""What a middleware awaits to run the rest of the pipeline: takes nothing, returns the result."""

Step: TypeAlias = Callable[[Any], Awaitable[ResultT]]
"""One pre-built link of a pipeline: takes the message, returns the result."""

CommandMiddleware: TypeAlias = Callable[
    [ICommand[Any], NextHandler[CommandResult[Any]]], Awaitable[CommandResult[Any]]
]
QueryMiddleware: TypeAlias = Callable[
    [IQuery[Any], NextHandler[QueryResult[Any]]], Awaitable[QueryResult[Any]]
]

Sleep: TypeAlias = Callable[[float], Awaitable[None]]
RandomFraction: TypeAlias = Callable[[], float]
"""Returns a float in [0, 1); injected so retry jitter can be tested."""


class HandlerFactory(Protocol):
    """Builds a handler from its class (the DI container resolves constructor arguments)."""

    def __call__(self, handler_class: type[HandlerT], /) -> HandlerT: ...
