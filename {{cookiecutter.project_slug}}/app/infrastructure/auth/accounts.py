"""What sign-in and token checks need to know about a user, read from the users table.

The write model is the truth about who may sign in, so these reads skip the (eventually
consistent) read models; one indexed Core statement each, on the read engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.users.roles import UserRole
from app.domain.users.user import normalize_email
from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.users.tables import users


@dataclass(frozen=True, slots=True)
class Account:
    user_id: UUID
    hashed_password: str
    role: UserRole
    is_active: bool


_columns = select(users.c.id, users.c.hashed_password, users.c.role, users.c.is_active)
_by_id = _columns.where(users.c.id == bindparam("id"))
_by_email = _columns.where(users.c.email == bindparam("email"))


class AccountStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def by_id(self, user_id: UUID) -> Account | None:
        return await self._one(_by_id, {"id": user_id})

    async def by_email(self, email: str) -> Account | None:
        if "\x00" in email:
            return None  # no stored email has one; PostgreSQL would refuse the parameter
        return await self._one(_by_email, {"email": normalize_email(email)})

    async def _one(self, statement: Select[Any], values: dict[str, Any]) -> Account | None:
        with database_errors_translated():
            async with self._engine.connect() as connection:
                row = (await connection.execute(statement, values)).first()
        if row is None:
            return None
        user_id, hashed_password, role, is_active = row
        return Account(user_id, hashed_password, UserRole(role), is_active)
