"""The limit for the PostgreSQL scenarios: the same endpoints in raw asyncpg, no ORM.

The table's "limit" column, beside the SQLAlchemy reference the targets compare with
(`sqlalchemy_app.py`): what is left of a request once SQLAlchemy is gone too.
`GET /api/v1/users/{id}` is one `fetchrow` on `user_view`; the list is the same count and page
the service runs; `PATCH` is a single UPDATE in a transaction on a copy of the users table (so
the reference never disturbs the service's write model and event log).
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any
from uuid import UUID

import asyncpg
from fastapi import Depends, FastAPI, HTTPException, Query

from bench.reference.auth import bearer_check
from bench.reference.config import reference_config
from bench.reference.models import (
    USER_COLUMNS,
    FullNameChange,
    UserOut,
    UserPage,
    pagination,
    user_from_row,
)

REFERENCE_USERS_TABLE = "bench_reference_users"

_BY_ID = f"SELECT {USER_COLUMNS} FROM user_view WHERE id = $1"  # noqa: S608 (constant)
_COUNT = "SELECT count(*) FROM user_view WHERE role = $1"
_PAGE = (
    f"SELECT {USER_COLUMNS} FROM user_view WHERE role = $1 "  # noqa: S608 (constant)
    "ORDER BY email, id LIMIT $2 OFFSET $3"
)
_UPDATE = (
    f"UPDATE {REFERENCE_USERS_TABLE} SET full_name = $2, version = version + 1, "  # noqa: S608
    f"updated_at = now() WHERE id = $1 RETURNING {USER_COLUMNS}"
)


async def _nothing_to_reset(connection: asyncpg.Connection[Any]) -> None:
    # The limit is the least a request can cost, so the pool skips asyncpg's reset query on
    # release (a round trip per query). Nothing here leaves session state behind: single
    # statements and whole transactions.
    return None


def create_app() -> FastAPI:
    config = reference_config()
    pool: dict[str, asyncpg.Pool[Any]] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        pool["main"] = await asyncpg.create_pool(
            config.postgres_dsn,
            min_size=config.pool_size,
            max_size=config.pool_size,
            reset=_nothing_to_reset,
        )
        gc.freeze()  # as the service does after start-up
        yield
        await pool["main"].close()

    app = FastAPI(lifespan=lifespan)
    authenticated = Depends(bearer_check(config.secret_key, config.issuer))

    @app.get("/api/v1/users/{user_id}", dependencies=[authenticated])
    async def get_user(user_id: UUID) -> UserOut:
        row = await pool["main"].fetchrow(_BY_ID, user_id)
        if row is None:
            raise HTTPException(404, "No such user")
        return user_from_row(row)

    @app.get("/api/v1/users", dependencies=[authenticated])
    async def find_users(
        role: str,
        page: Annotated[int, Query(ge=1)] = 1,
        page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> UserPage:
        async with pool["main"].acquire() as connection:
            total = int(await connection.fetchval(_COUNT, role))
            offset = (page - 1) * page_size
            rows = await connection.fetch(_PAGE, role, page_size, offset) if offset < total else []
        return UserPage(
            items=[user_from_row(row) for row in rows],
            pagination=pagination(page, page_size, total),
        )

    @app.patch("/api/v1/users/{user_id}", dependencies=[authenticated])
    async def update_user(user_id: UUID, change: FullNameChange) -> UserOut:
        async with pool["main"].acquire() as connection, connection.transaction():
            row = await connection.fetchrow(_UPDATE, user_id, change.full_name)
        if row is None:
            raise HTTPException(404, "No such user")
        return user_from_row(row)

    return app
