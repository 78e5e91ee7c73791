"""Which routers the application serves: the always-present ones, and each optional feature's.

An optional router module (the users example, authentication) is served when the project has
it; the post-generation hook deletes the modules of features that were not chosen.
"""

from __future__ import annotations

import importlib
import importlib.util

from fastapi import APIRouter, FastAPI

from app.api import health, readiness

# Scaffolded routes (`make new-command`) come first: their literal paths win over `/{id}` ones.
OPTIONAL_ROUTER_MODULES = ("app.api.scaffolded", "app.api.audit", "app.api.auth", "app.api.users")


def optional_routers() -> list[APIRouter]:
    routers: list[APIRouter] = []
    for name in OPTIONAL_ROUTER_MODULES:
        if importlib.util.find_spec(name) is not None:
            router: APIRouter = importlib.import_module(name).router
            routers.append(router)
    return routers


def install_routers(app: FastAPI) -> None:
    for router in (health.router, readiness.router, *optional_routers()):
        app.include_router(router)
