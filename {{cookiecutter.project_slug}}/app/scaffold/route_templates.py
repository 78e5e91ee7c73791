"""Templates (`string.Template`) of the scaffolded routes: one router module per message.

`app/api/scaffolded/__init__.py` gathers every module's routes into one router, which
`app.api.routers` serves when the package exists.
"""

from __future__ import annotations

from string import Template

ROUTES_PACKAGE = Template('''\
"""Routes written by `make new-command` and `make new-query`, one module per message.

`router` gathers the routes of every module in this package; `app.api.routers` serves it.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter


def gathered_router() -> APIRouter:
    gathered = APIRouter()
    for module in sorted(pkgutil.iter_modules(__path__, f"{__name__}."), key=lambda m: m.name):
        gathered.routes.extend(importlib.import_module(module.name).router.routes)
    return gathered


router = gathered_router()
''')

COMMAND_ROUTE = Template('''\
"""The $name command over HTTP."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.openapi import problem_responses
from app.api.operations import CurrentOperations
from app.api.results import succeeded
from app.handlers.$feature.$snake import (
    $name,
)

PATH = "$path"

router = APIRouter(tags=["$feature"])


class $request(BaseModel):
    id: str


class $response(BaseModel):
    id: str


@router.post(
    PATH,
    summary="$summary",
    responses=problem_responses(401, 403, 409, 422, 503),
)
async def $snake(
    body: $request,
    operations: CurrentOperations,
) -> $response:
    command = $name(id=body.id)
    result_id = succeeded(await operations.command(command))
    if result_id is None:
        raise RuntimeError("$name succeeded without an id")
    return $response(id=result_id)
''')

QUERY_ROUTE = Template('''\
"""The $name query over HTTP."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.openapi import problem_responses
from app.api.operations import CurrentOperations
from app.api.results import succeeded
from app.handlers.$feature.$snake import (
    $name,
)

PATH = "$path"

router = APIRouter(tags=["$feature"])


class $response(BaseModel):
    items: list[str]


@router.get(
    PATH,
    summary="$summary",
    responses=problem_responses(401, 403, 503),
)
async def $snake(
    operations: CurrentOperations,
) -> $response:
    items = succeeded(await operations.query($name()))
    return $response(items=list(items or ()))
''')
