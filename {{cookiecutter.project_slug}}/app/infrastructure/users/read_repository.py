"""User queries against the read models, through the read statements port.

Lean on purpose (queries are the hot path): Core statements built once, run by
`ReadStatements` (asyncpg straight on PostgreSQL, the autocommit read engine elsewhere), rows
mapped straight to frozen dataclasses, no ORM, no transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, func, select, true

from app.domain.users.roles import UserRole
from app.infrastructure.db.read_statements import ReadRow, ReadStatements
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
# The LIKE escape character; `_escaped_for_like` makes `%`, `_` and itself literal.
_LIKE_ESCAPE = "/"


class UserReadRepository:
    def __init__(self, read_statements: ReadStatements) -> None:
        self._statements = read_statements

    async def get_by_id(self, user_id: UUID) -> UserView | None:
        row = await self._statements.fetch_one(_by_id, {"id": user_id})
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
        params: dict[str, Any] = {}
        if email_contains:
            # Emails are stored lower-cased.
            params["email"] = _escaped_for_like(email_contains.lower())
        if role is not None:
            params["role"] = role.value
        if is_active is not None:
            params["is_active"] = is_active
        offset = (page - 1) * page_size
        total = int(await self._statements.fetch_value(count, params))
        rows: Sequence[ReadRow] = ()
        if offset < total:
            rows = await self._statements.fetch_all(
                page_of, {**params, "limit": page_size, "offset": offset}
            )
        return UserPage(
            items=tuple(_to_view(row) for row in rows),
            total_count=total,
            page=page,
            page_size=page_size,
        )

    async def stats(self) -> UserStats:
        rows = await self._statements.fetch_all(_stats)
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
    condition = and_(true(), *conditions)
    count = select(func.count()).select_from(user_view).where(condition)
    page = (
        select(*_view_columns)
        .where(condition)
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


def _to_view(row: ReadRow) -> UserView:
    return UserView(
        row[0], row[1], row[2], row[3], UserRole(row[4]), row[5], row[6], row[7], row[8]
    )
