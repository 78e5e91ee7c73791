"""User queries against the read models, on the read engine (a replica when one is set).

Core statements mapped straight to frozen dataclasses: no ORM and no transaction, as the read
engine autocommits. Each statement is built once (one per combination of filters for `find`),
with a bound parameter per value, so SQLAlchemy reuses its compiled form. The engine translates
failed statements into `PersistenceError`s; taking a connection (a pool timeout) is translated
here.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Integer, Row, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.users.roles import UserRole
from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.users.read_models import UserPage, UserStats, UserView
from app.infrastructure.users.tables import user_stats, user_view

_by_id = select(user_view).where(user_view.c.id == bindparam("id"))
_stats = select(user_stats)
# The LIKE escape character; `_escaped_for_like` makes `%`, `_` and itself literal.
_LIKE_ESCAPE = "/"


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
        count, page_of = _find_statements(
            by_email=bool(email_contains),
            by_role=role is not None,
            by_activity=is_active is not None,
        )
        values: dict[str, Any] = {"limit": page_size, "offset": (page - 1) * page_size}
        if email_contains:
            values["email"] = _escaped_for_like(email_contains.lower())  # stored lower-cased
        if role is not None:
            values["role"] = role.value
        if is_active is not None:
            values["is_active"] = is_active
        rows: list[Row[Any]] = []
        with database_errors_translated():
            async with self._engine.connect() as connection:
                total = int(await connection.scalar(count, values) or 0)
                if values["offset"] < total:
                    rows = list(await connection.execute(page_of, values))
        return UserPage(
            items=tuple(_to_view(row) for row in rows),
            total_count=total,
            page=page,
            page_size=page_size,
        )

    async def stats(self) -> UserStats:
        with database_errors_translated():
            async with self._engine.connect() as connection:
                rows = await connection.execute(_stats)
        by_role = dict.fromkeys(UserRole, 0)
        active = inactive = 0
        for role, is_active, count in rows:
            by_role[UserRole(role)] += count
            if is_active:
                active += count
            else:
                inactive += count
        return UserStats(total=active + inactive, active=active, inactive=inactive, by_role=by_role)


@cache
def _find_statements(
    *, by_email: bool, by_role: bool, by_activity: bool
) -> tuple[Select[Any], Select[Any]]:
    """The count and page statements for one combination of filters, built once each."""
    conditions: list[ColumnElement[bool]] = []
    if by_email:
        conditions.append(user_view.c.email.contains(bindparam("email"), escape=_LIKE_ESCAPE))
    if by_role:
        conditions.append(user_view.c.role == bindparam("role"))
    if by_activity:
        conditions.append(user_view.c.is_active == bindparam("is_active"))
    count = select(func.count()).select_from(user_view).where(*conditions)
    page = (
        select(user_view)
        .where(*conditions)
        .order_by(user_view.c.email, user_view.c.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    return count, page


def _escaped_for_like(text: str) -> str:
    """`text` matched literally by LIKE: what `contains(..., autoescape=True)` does to a value."""
    return (
        text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
        .replace("%", _LIKE_ESCAPE + "%")
        .replace("_", _LIKE_ESCAPE + "_")
    )


def _to_view(row: Row[Any]) -> UserView:
    return UserView(**{**row._asdict(), "role": UserRole(row.role)})
