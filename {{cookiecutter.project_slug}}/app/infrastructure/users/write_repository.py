"""The users write model, read and written in the current unit of work's transaction.

Core statements: no ORM identity map to keep in sync, and one UPDATE per save that also checks
the version the caller loaded (optimistic concurrency). Each statement is built once, with a
bound parameter per value: SQLAlchemy reuses its compiled form, and building a statement costs
more than running a compiled one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import CursorResult, Executable, Row, bindparam, delete, insert, select, update

from app.domain.users.roles import UserRole
from app.domain.users.user import User, normalize_email
from app.infrastructure.db.active_unit_of_work import active_unit_of_work
from app.infrastructure.db.errors import StaleVersionError
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWork
from app.infrastructure.users.tables import users

_by_id = select(users).where(users.c.id == bindparam("user_id"))
_by_id_for_update = _by_id.with_for_update()
_by_email = select(users).where(users.c.email == bindparam("email"))
_insert = insert(users)
# The SET clause comes from the parameters named after columns; these two only match the row.
_versioned = (users.c.id == bindparam("match_id"), users.c.version == bindparam("match_version"))
_update = update(users).where(*_versioned)
_delete = delete(users).where(*_versioned)


class UserWriteRepository:
    def __init__(
        self, unit_of_work: Callable[[], SqlAlchemyUnitOfWork] = active_unit_of_work
    ) -> None:
        self._unit_of_work = unit_of_work

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        """The user, optionally row-locked until the transaction ends (PostgreSQL)."""
        statement = _by_id_for_update if for_update else _by_id
        return _to_user((await self._execute(statement, {"user_id": user_id})).first())

    async def get_by_email(self, email: str) -> User | None:
        found = await self._execute(_by_email, {"email": normalize_email(email)})
        return _to_user(found.first())

    async def add(self, user: User) -> None:
        """Insert a new user; a taken email raises `ConflictError`."""
        await self._execute(_insert, _values(user))

    async def save(self, user: User, *, expected_version: int) -> None:
        """Write the user's state if nobody changed it since `expected_version`."""
        match = {"match_id": user.id, "match_version": expected_version}
        if (await self._execute(_update, {**_values(user), **match})).rowcount != 1:
            raise StaleVersionError(detail=f"user {user.id} is no longer at {expected_version}")

    async def delete(self, user_id: UUID, *, expected_version: int) -> None:
        match = {"match_id": user_id, "match_version": expected_version}
        if (await self._execute(_delete, match)).rowcount != 1:
            raise StaleVersionError(detail=f"user {user_id} is no longer at {expected_version}")

    async def _execute(self, statement: Executable, values: dict[str, Any]) -> CursorResult[Any]:
        connection = await self._unit_of_work().connection()
        return await connection.execute(statement, values)


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
