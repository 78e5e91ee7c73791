"""Reference for the cached get-by-id over Redis: one redis.asyncio GET per request.

A miss (only while warming up) reads `user_view` and stores the JSON, as a cache-aside service
would; the measured requests are all hits, answered with the stored bytes.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
import redis.asyncio as redis
from fastapi import Depends, FastAPI, HTTPException, Response

from bench.reference.auth import bearer_check
from bench.reference.config import reference_config
from bench.reference.models import USER_COLUMNS, user_from_row

TTL_SECONDS = 300
_BY_ID = f"SELECT {USER_COLUMNS} FROM user_view WHERE id = $1"  # noqa: S608 (constant)


def create_app() -> FastAPI:
    config = reference_config()
    clients: dict[str, Any] = {}
    key_prefix = f"{config.issuer}:reference:user:"

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        clients["redis"] = redis.Redis.from_url(config.redis_url)
        clients["postgres"] = await asyncpg.create_pool(config.postgres_dsn, min_size=1, max_size=2)
        gc.freeze()  # as the service does after start-up
        yield
        await clients["postgres"].close()
        await clients["redis"].aclose()

    app = FastAPI(lifespan=lifespan)
    authenticated = Depends(bearer_check(config.secret_key, config.issuer))

    @app.get("/api/v1/users/{user_id}", dependencies=[authenticated])
    async def get_user(user_id: UUID) -> Response:
        key = f"{key_prefix}{user_id}"
        cached: bytes | None = await clients["redis"].get(key)
        if cached is None:
            row = await clients["postgres"].fetchrow(_BY_ID, user_id)
            if row is None:
                raise HTTPException(404, "No such user")
            cached = user_from_row(row).model_dump_json().encode()
            await clients["redis"].set(key, cached, ex=TTL_SECONDS)
        return Response(cached, media_type="application/json")

    return app
