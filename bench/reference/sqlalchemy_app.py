"""Reference for the PostgreSQL scenarios as a user would write it: FastAPI + SQLAlchemy 2 async.

ORM classes mapped onto the service's read model (`user_view`) and onto the copy of its users
table the reference writes (`bench_reference_users`, so the service's write model and event log
are never disturbed); an `AsyncSession` per request from a dependency; pydantic response
models. The engine keeps SQLAlchemy's defaults (a transaction per session, rolled back when
the session closes) except for the pool's size: the bench gives it the same number of
connections as the service (BENCH_POOL_SIZE, no overflow), so neither side has more.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from sqlalchemy import DateTime, func, make_url, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bench.reference.auth import bearer_check
from bench.reference.config import reference_config
from bench.reference.models import FullNameChange, UserOut, UserPage, pagination

REFERENCE_USERS_TABLE = "bench_reference_users"


class Base(DeclarativeBase):
    pass


class UserColumns:  # the read model and the users table have these columns in common
    id: Mapped[UUID] = mapped_column(primary_key=True)
    email: Mapped[str]
    username: Mapped[str]
    full_name: Mapped[str]
    role: Mapped[str]
    is_active: Mapped[bool]
    version: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserView(UserColumns, Base):
    __tablename__ = "user_view"


class ReferenceUser(UserColumns, Base):
    __tablename__ = REFERENCE_USERS_TABLE


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessions() as session:
        yield session


# At module level: with postponed annotations FastAPI looks `Session` up in the module's globals.
Session = Annotated[AsyncSession, Depends(get_session)]
router = APIRouter(prefix="/api/v1/users")


@router.get("/{user_id}", response_model=UserOut)
async def get_user(user_id: UUID, db: Session) -> Any:
    user = await db.get(UserView, user_id)
    if user is None:
        raise HTTPException(404, "No such user")
    return user


@router.get("", response_model=UserPage)
async def find_users(
    db: Session,
    role: str,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Any:
    counting = select(func.count()).select_from(UserView).where(UserView.role == role)
    total = await db.scalar(counting) or 0
    offset = (page - 1) * page_size
    users: list[UserView] = []
    if offset < total:
        query = (
            select(UserView)
            .where(UserView.role == role)
            .order_by(UserView.email, UserView.id)
            .limit(page_size)
            .offset(offset)
        )
        users = list(await db.scalars(query))
    return {"items": users, "pagination": pagination(page, page_size, total)}


@router.patch("/{user_id}", response_model=UserOut)
async def update_user(user_id: UUID, change: FullNameChange, db: Session) -> Any:
    # One statement: UPDATE ... RETURNING, the ORM building the user from the returned row.
    statement = (
        update(ReferenceUser)
        .where(ReferenceUser.id == user_id)
        .values(
            full_name=change.full_name,
            version=ReferenceUser.version + 1,
            updated_at=func.now(),
        )
        .returning(ReferenceUser)
    )
    async with db.begin():
        user = (await db.scalars(statement)).one_or_none()
    if user is None:
        raise HTTPException(404, "No such user")
    return user


def create_app() -> FastAPI:
    config = reference_config()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_async_engine(
            make_url(config.postgres_dsn).set(drivername="postgresql+asyncpg"),
            pool_size=config.pool_size,
            max_overflow=0,
        )
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        gc.freeze()  # as the service does after start-up
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)
    app.include_router(
        router, dependencies=[Depends(bearer_check(config.secret_key, config.issuer))]
    )
    return app
