"""Which routers the application serves: the always-present ones, and each optional feature's.

An optional router module (the users example, authentication) is included when the project
has it; the post-generation hook deletes the modules of features that were not chosen.
"""

from __future__ import annotations

import importlib
import importlib.util

from fastapi import APIRouter, FastAPI

from app.api import health, readiness

OPTIONAL_ROUTER_MODULES = ("app.api.auth", "app.api.users")


def optional_routers() -> list[APIRouter]:
    routers: list[APIRouter] = []
    for name in OPTIONAL_ROUTER_MODULES:
        if importlib.util.find_spec(name) is not None:
            router: APIRouter = importlib.import_module(name).router
            routers.append(router)
    return routers


def install_routers(app: FastAPI) -> None:
    app.include_router(health.router)
    app.include_router(readiness.router)
    for router in optional_routers():
        app.include_router(router)
