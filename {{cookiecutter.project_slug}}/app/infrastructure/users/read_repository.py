"""User queries against the read models, on the read engine (a replica when one is set).

Core statements mapped straight to frozen dataclasses: no ORM and no transaction, as the read
engine autocommits. The engine translates failed statements into `PersistenceError`s; taking a
connection (a pool timeout) is translated here.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.users.roles import UserRole
from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.users.read_models import UserPage, UserStats, UserView
from app.infrastructure.users.tables import user_stats, user_view


class UserReadRepository:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get_by_id(self, user_id: UUID) -> UserView | None:
        with database_errors_translated():
            async with self._engine.connect() as connection:
                statement = select(user_view).where(user_view.c.id == user_id)
                row = (await connection.execute(statement)).first()
        return None if row is None else _to_view(row)

    async def find(
        self,
        *,
        email_contains: str | None = None,
        role: UserRole | None = None,
        is_active: bool | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> UserPage:
        """One page of users ordered by email, and how many match in all."""
        if page < 1 or page_size < 1:
            raise ValueError("page and page_size start at 1")
        conditions: list[ColumnElement[bool]] = []
        if email_contains:
            # Emails are stored lower-cased.
            conditions.append(user_view.c.email.contains(email_contains.lower(), autoescape=True))
        if role is not None:
            conditions.append(user_view.c.role == role.value)
        if is_active is not None:
            conditions.append(user_view.c.is_active == is_active)
        offset = (page - 1) * page_size
        count = select(func.count()).select_from(user_view).where(*conditions)
        page_of = (
            select(user_view)
            .where(*conditions)
            .order_by(user_view.c.email, user_view.c.id)
            .limit(page_size)
            .offset(offset)
        )
        rows: list[Row[Any]] = []
        with database_errors_translated():
            async with self._engine.connect() as connection:
                total = int(await connection.scalar(count) or 0)
                if offset < total:
                    rows = list(await connection.execute(page_of))
        return UserPage(
            items=tuple(_to_view(row) for row in rows),
            total_count=total,
            page=page,
            page_size=page_size,
        )

    async def stats(self) -> UserStats:
        with database_errors_translated():
            async with self._engine.connect() as connection:
                rows = await connection.execute(select(user_stats))
        by_role = dict.fromkeys(UserRole, 0)
        active = inactive = 0
        for role, is_active, count in rows:
            by_role[UserRole(role)] += count
            if is_active:
                active += count
            else:
                inactive += count
        return UserStats(total=active + inactive, active=active, inactive=inactive, by_role=by_role)


def _to_view(row: Row[Any]) -> UserView:
    return UserView(**{**row._asdict(), "role": UserRole(row.role)})
