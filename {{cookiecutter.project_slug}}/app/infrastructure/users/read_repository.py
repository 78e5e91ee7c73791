"""User queries against the read models, through the read engine.

Lean on purpose (queries are the hot path): prebuilt Core statements, rows mapped straight to
frozen dataclasses, no ORM, no transaction (the read engine autocommits).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, and_, bindparam, func, select, true
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.users.roles import UserRole
from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.users.read_models import UserPage, UserStats, UserView
from app.infrastructure.users.tables import user_stats, user_view

_view_columns = (
    user_view.c.id,
    user_view.c.email,
    user_view.c.username,
    user_view.c.full_name,
    user_view.c.role,
    user_view.c.is_active,
    user_view.c.version,
    user_view.c.created_at,
    user_view.c.updated_at,
)
_by_id = select(*_view_columns).where(user_view.c.id == bindparam("id"))
_stats = select(user_stats.c.role, user_stats.c.is_active, user_stats.c.user_count)


class UserReadRepository:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get_by_id(self, user_id: UUID) -> UserView | None:
        with database_errors_translated():
            async with self._engine.connect() as connection:
                row = (await connection.execute(_by_id, {"id": user_id})).first()
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
        condition = _matching(email_contains, role, is_active)
        offset = (page - 1) * page_size
        with database_errors_translated():
            async with self._engine.connect() as connection:
                counted = select(func.count()).select_from(user_view).where(condition)
                total = int((await connection.execute(counted)).scalar_one())
                rows: Any = ()
                if offset < total:
                    rows = await connection.execute(
                        _page(condition).limit(page_size).offset(offset)
                    )
        return UserPage(
            items=tuple(_to_view(row) for row in rows),
            total_count=total,
            page=page,
            page_size=page_size,
        )

    async def stats(self) -> UserStats:
        with database_errors_translated():
            async with self._engine.connect() as connection:
                rows = (await connection.execute(_stats)).all()
        by_role = dict.fromkeys(UserRole, 0)
        active = inactive = 0
        for role, is_active, count in rows:
            by_role[UserRole(role)] += count
            if is_active:
                active += count
            else:
                inactive += count
        return UserStats(total=active + inactive, active=active, inactive=inactive, by_role=by_role)


def _matching(
    email_contains: str | None, role: UserRole | None, is_active: bool | None
) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if email_contains:
        # Emails are stored lower-cased; autoescape makes % and _ in the input literal.
        conditions.append(user_view.c.email.contains(email_contains.lower(), autoescape=True))
    if role is not None:
        conditions.append(user_view.c.role == role.value)
    if is_active is not None:
        conditions.append(user_view.c.is_active == is_active)
    return and_(true(), *conditions)


def _page(condition: ColumnElement[bool]) -> Select[Any]:
    return select(*_view_columns).where(condition).order_by(user_view.c.email, user_view.c.id)


def _to_view(row: Any) -> UserView:
    return UserView(
        row[0], row[1], row[2], row[3], UserRole(row[4]), row[5], row[6], row[7], row[8]
    )
