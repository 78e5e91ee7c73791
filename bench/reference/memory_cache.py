"""Reference for the cached get-by-id in process: a dict of pydantic models, returned as is.

A miss (only while warming up) reads `user_view`; the measured requests are all hits.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
from fastapi import Depends, FastAPI, HTTPException

from bench.reference.auth import bearer_check
from bench.reference.config import reference_config
from bench.reference.models import USER_COLUMNS, UserOut, user_from_row

_BY_ID = f"SELECT {USER_COLUMNS} FROM user_view WHERE id = $1"  # noqa: S608 (constant)


def create_app() -> FastAPI:
    config = reference_config()
    pool: dict[str, asyncpg.Pool[Any]] = {}
    users: dict[UUID, UserOut] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        pool["main"] = await asyncpg.create_pool(config.postgres_dsn, min_size=1, max_size=2)
        gc.freeze()  # as the service does after start-up
        yield
        await pool["main"].close()

    app = FastAPI(lifespan=lifespan)
    authenticated = Depends(bearer_check(config.secret_key, config.issuer))

    @app.get("/api/v1/users/{user_id}", dependencies=[authenticated])
    async def get_user(user_id: UUID) -> UserOut:
        user = users.get(user_id)
        if user is None:
            row = await pool["main"].fetchrow(_BY_ID, user_id)
            if row is None:
                raise HTTPException(404, "No such user")
            user = users[user_id] = user_from_row(row)
        return user

    return app
