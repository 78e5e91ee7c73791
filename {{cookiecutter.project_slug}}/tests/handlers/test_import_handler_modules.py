from __future__ import annotations

import inspect
import pkgutil

import app.handlers
from app.core.cqrs import BaseCommandHandler, BaseQueryHandler, MessageKind, default_registry
from app.handlers import import_handler_modules


def test_every_module_below_the_package_is_imported() -> None:
    expected = {info.name for info in pkgutil.walk_packages(app.handlers.__path__, "app.handlers.")}

    imported = {module.__name__ for module in import_handler_modules()}

    assert imported == expected


def test_every_handler_class_they_define_is_registered() -> None:
    modules = import_handler_modules()
    registry = default_registry()
    registered = {
        registry.registration_for(kind, message_type, allow_override=False).handler_class
        for kind in MessageKind
        for message_type in registry.message_types(kind)
    }

    defined = {
        value
        for module in modules
        for value in vars(module).values()
        if inspect.isclass(value)
        and value.__module__ == module.__name__
        and issubclass(value, BaseCommandHandler | BaseQueryHandler)
    }

    assert defined <= registered
