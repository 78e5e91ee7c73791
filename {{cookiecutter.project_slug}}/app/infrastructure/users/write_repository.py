"""The users write model, read and written in the current unit of work's transaction.

Core statements: no ORM identity map to keep in sync, and one UPDATE per save that also checks
the version the caller loaded (optimistic concurrency).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, CursorResult, Executable, Row, delete, insert, select, update

from app.domain.users.roles import UserRole
from app.domain.users.user import User, normalize_email
from app.infrastructure.db.active_unit_of_work import active_unit_of_work
from app.infrastructure.db.errors import StaleVersionError
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWork
from app.infrastructure.users.tables import users


class UserWriteRepository:
    def __init__(
        self, unit_of_work: Callable[[], SqlAlchemyUnitOfWork] = active_unit_of_work
    ) -> None:
        self._unit_of_work = unit_of_work

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        """The user, optionally row-locked until the transaction ends (PostgreSQL)."""
        statement = select(users).where(users.c.id == user_id)
        if for_update:
            statement = statement.with_for_update()
        return _to_user((await self._execute(statement)).first())

    async def get_by_email(self, email: str) -> User | None:
        statement = select(users).where(users.c.email == normalize_email(email))
        return _to_user((await self._execute(statement)).first())

    async def add(self, user: User) -> None:
        """Insert a new user; a taken email raises `ConflictError`."""
        await self._execute(insert(users).values(_values(user)))

    async def save(self, user: User, *, expected_version: int) -> None:
        """Write the user's state if nobody changed it since `expected_version`."""
        statement = update(users).where(*_at(user.id, expected_version)).values(_values(user))
        if (await self._execute(statement)).rowcount != 1:
            raise StaleVersionError(detail=f"user {user.id} is no longer at {expected_version}")

    async def delete(self, user_id: UUID, *, expected_version: int) -> None:
        statement = delete(users).where(*_at(user_id, expected_version))
        if (await self._execute(statement)).rowcount != 1:
            raise StaleVersionError(detail=f"user {user_id} is no longer at {expected_version}")

    async def _execute(self, statement: Executable) -> CursorResult[Any]:
        connection = await self._unit_of_work().connection()
        return await connection.execute(statement)


def _at(user_id: UUID, version: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return users.c.id == user_id, users.c.version == version


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


def _to_user(row: Row[Any] | None) -> User | None:
    if row is None:
        return None
    return User(**{**row._asdict(), "role": UserRole(row.role)})
