"""Building handlers by constructor injection from the container's providers.

Each parameter of a handler's `__init__` names the provider that supplies it: a handler that
declares `user_read_repository: UserReadRepository` receives `container.user_read_repository()`.
The signature is read once per handler class (the bus builds each handler once anyway); a
parameter with no provider of its name is an error that names both, unless it has a default.
"""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

from dependency_injector import containers

from app.core.cqrs import CQRSConfigurationError

HandlerT = TypeVar("HandlerT")

_INJECTABLE = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


class ProviderHandlerFactory:
    def __init__(self, container: containers.Container) -> None:
        self._container = container

    def __call__(self, handler_class: type[HandlerT], /) -> HandlerT:
        arguments: dict[str, Any] = {}
        for parameter in _parameters(handler_class):
            provider = self._container.providers.get(parameter.name)
            if provider is None:
                if parameter.default is not inspect.Parameter.empty:
                    continue
                raise CQRSConfigurationError(
                    f"{handler_class.__qualname__} needs {parameter.name!r}, but the container "
                    f"has no provider of that name"
                )
            arguments[parameter.name] = provider()
        return handler_class(**arguments)


def _parameters(handler_class: type) -> list[inspect.Parameter]:
    # Found through the MRO: mypy refuses `handler_class.__init__` as unsound.
    initializer = next(
        vars(base)["__init__"] for base in handler_class.__mro__ if "__init__" in vars(base)
    )
    if initializer is object.__init__:
        return []
    parameters = list(inspect.signature(initializer).parameters.values())[1:]
    for parameter in parameters:
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY:
            raise CQRSConfigurationError(
                f"{handler_class.__qualname__}.__init__ takes {parameter.name!r} by position "
                f"only; the container passes dependencies by name"
            )
    # *args and **kwargs are left empty.
    return [parameter for parameter in parameters if parameter.kind in _INJECTABLE]
