"""Feature packages under `app/infrastructure/` contribute tables and projections by convention.

A package that has a `tables` module adds its tables to the shared metadata when imported; one
that has a `projections` module lists its projections in `projections()`. Alembic, the worker and
the rebuild command find them here, so removing a feature package (as the template does for the
users example) removes its tables and projections everywhere without editing a registry.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from types import ModuleType

import app.infrastructure as infrastructure


def feature_modules(module_name: str) -> list[ModuleType]:
    """Import `app.infrastructure.<package>.<module_name>` for every package that has one."""
    modules: list[ModuleType] = []
    for info in sorted(pkgutil.iter_modules(infrastructure.__path__), key=lambda info: info.name):
        if not info.ispkg:
            continue
        qualified = f"{infrastructure.__name__}.{info.name}.{module_name}"
        if importlib.util.find_spec(qualified) is not None:
            modules.append(importlib.import_module(qualified))
    return modules
