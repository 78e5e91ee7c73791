"""Rows in the users table for the sign-in tests, written directly (no handler involved)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlalchemy import delete, insert, update

from app.domain.users.roles import UserRole
from app.infrastructure.users.tables import users
from tests.support.database import Database


async def add_account(
    database: Database,
    email: str,
    *,
    hashed_password: str = "not-a-real-hash",  # noqa: S107 (never verified against)
    role: UserRole = UserRole.USER,
    is_active: bool = True,
) -> UUID:
    user_id = uuid4()
    now = datetime.now(UTC)
    async with database.write.begin() as connection:
        await connection.execute(
            insert(users).values(
                id=user_id,
                email=email,
                username=email.partition("@")[0],
                full_name="Test User",
                hashed_password=hashed_password,
                role=role.value,
                is_active=is_active,
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
    return user_id


async def change_account(database: Database, user_id: UUID, **values: object) -> None:
    async with database.write.begin() as connection:
        await connection.execute(update(users).where(users.c.id == user_id).values(**values))


async def remove_account(database: Database, user_id: UUID) -> None:
    async with database.write.begin() as connection:
        await connection.execute(delete(users).where(users.c.id == user_id))
