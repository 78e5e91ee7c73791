"""The users write model, read and written inside the current unit of work.

Core statements on the unit of work's connection: no ORM identity map to keep in sync, and one
UPDATE per save that also checks the version the caller loaded (optimistic concurrency).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.domain.users.roles import UserRole
from app.domain.users.user import User, normalize_email
from app.infrastructure.db.active_unit_of_work import current_session
from app.infrastructure.db.errors import StaleVersionError, database_errors_translated
from app.infrastructure.users.tables import users

_columns = (
    users.c.id,
    users.c.email,
    users.c.username,
    users.c.full_name,
    users.c.hashed_password,
    users.c.role,
    users.c.is_active,
    users.c.version,
    users.c.created_at,
    users.c.updated_at,
)


class UserWriteRepository:
    def __init__(self, session: Callable[[], AsyncSession] = current_session) -> None:
        self._session = session

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        """The user, optionally row-locked until the transaction ends (PostgreSQL)."""
        statement = select(*_columns).where(users.c.id == user_id)
        if for_update:
            statement = statement.with_for_update()
        return await self._fetch_one(statement)

    async def get_by_email(self, email: str) -> User | None:
        return await self._fetch_one(
            select(*_columns).where(users.c.email == normalize_email(email))
        )

    async def add(self, user: User) -> None:
        """Insert a new user; a taken email raises `ConflictError`."""
        with database_errors_translated():
            connection = await self._connection()
            await connection.execute(insert(users).values(_values(user)))

    async def save(self, user: User, *, expected_version: int) -> None:
        """Write the user's state if nobody changed it since `expected_version`."""
        with database_errors_translated():
            connection = await self._connection()
            result = await connection.execute(
                update(users)
                .where(users.c.id == user.id, users.c.version == expected_version)
                .values(_values(user))
            )
        if result.rowcount != 1:
            raise StaleVersionError(detail=f"user {user.id} is no longer at {expected_version}")

    async def delete(self, user_id: UUID, *, expected_version: int) -> None:
        with database_errors_translated():
            connection = await self._connection()
            result = await connection.execute(
                delete(users).where(users.c.id == user_id, users.c.version == expected_version)
            )
        if result.rowcount != 1:
            raise StaleVersionError(detail=f"user {user_id} is no longer at {expected_version}")

    async def _fetch_one(self, statement: Any) -> User | None:
        with database_errors_translated():
            connection = await self._connection()
            row = (await connection.execute(statement)).first()
        return None if row is None else _to_user(row)

    async def _connection(self) -> AsyncConnection:
        return await self._session().connection()


def _values(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "username": user.username,
        "full_name": user.full_name,
        "hashed_password": user.hashed_password,
        "role": user.role.value,
        "is_active": user.is_active,
        "version": user.version,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


def _to_user(row: Row[Any]) -> User:
    return User(
        id=row.id,
        email=row.email,
        username=row.username,
        full_name=row.full_name,
        hashed_password=row.hashed_password,
        role=UserRole(row.role),
        is_active=row.is_active,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
