"""The users write model, read and written inside the current unit of work.

Core statements through the unit of work's `statements` (on PostgreSQL, straight on asyncpg): no
ORM identity map to keep in sync, and one UPDATE per save that also checks the version the
caller loaded (optimistic concurrency). The statements are built once, with bound parameters:
building a statement costs more CPU than running a compiled one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import Executable, bindparam, delete, insert, select, update

from app.domain.users.roles import UserRole
from app.domain.users.user import User, normalize_email
from app.infrastructure.db.active_unit_of_work import active_unit_of_work
from app.infrastructure.db.errors import StaleVersionError
from app.infrastructure.db.read_statements import ReadRow
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWork
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
_by_id = select(*_columns).where(users.c.id == bindparam("user_id"))
_by_id_for_update = _by_id.with_for_update()
_by_email = select(*_columns).where(users.c.email == bindparam("email"))
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
        return await self._fetch_one(statement, {"user_id": user_id})

    async def get_by_email(self, email: str) -> User | None:
        return await self._fetch_one(_by_email, {"email": normalize_email(email)})

    async def add(self, user: User) -> None:
        """Insert a new user; a taken email raises `ConflictError`."""
        await self._unit_of_work().statements.execute(_insert, _values(user))

    async def save(self, user: User, *, expected_version: int) -> None:
        """Write the user's state if nobody changed it since `expected_version`."""
        parameters = {**_values(user), "match_id": user.id, "match_version": expected_version}
        if await self._unit_of_work().statements.execute(_update, parameters) != 1:
            raise StaleVersionError(detail=f"user {user.id} is no longer at {expected_version}")

    async def delete(self, user_id: UUID, *, expected_version: int) -> None:
        parameters = {"match_id": user_id, "match_version": expected_version}
        if await self._unit_of_work().statements.execute(_delete, parameters) != 1:
            raise StaleVersionError(detail=f"user {user_id} is no longer at {expected_version}")

    async def _fetch_one(self, statement: Executable, parameters: dict[str, Any]) -> User | None:
        row = await self._unit_of_work().statements.fetch_one(statement, parameters)
        return None if row is None else _to_user(row)


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


def _to_user(row: ReadRow) -> User:
    # By position, in the order of `_columns`: rows from asyncpg have no attribute access.
    id_, email, username, full_name, password, role, active, version, created, updated = row
    return User(
        id=id_,
        email=email,
        username=username,
        full_name=full_name,
        hashed_password=password,
        role=UserRole(role),
        is_active=active,
        version=version,
        created_at=created,
        updated_at=updated,
    )
