"""Command and query handlers, one per module, registered by their decorators on import.

`import_handler_modules()` imports every module below this package, whatever features the
project was generated with, so adding a handler module is all it takes to register it.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def import_handler_modules() -> list[ModuleType]:
    """Import (once) every module under `app.handlers`; return them in import order."""
    modules: list[ModuleType] = []
    prefix = f"{__name__}."
    for info in sorted(pkgutil.walk_packages(__path__, prefix), key=lambda info: info.name):
        modules.append(importlib.import_module(info.name))
    return modules
