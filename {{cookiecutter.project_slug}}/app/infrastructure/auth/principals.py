"""Principals: who a valid token speaks for, as `@authorize` sees them.

The role and active flag come from the users table, not from the token, so a role change,
deactivation or deletion takes effect before the token expires. Lookups are remembered for
`ttl_seconds` (the hot path never waits on the database); a committed change to a user
forgets that user at once in this process, other processes notice within `ttl_seconds`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from app.core.cqrs.events import DomainEvent
from app.domain.users.roles import UserRole, permissions_for
from app.infrastructure.auth.accounts import Account, AccountStore


def permissions_on_any_user(role: UserRole) -> frozenset[str]:
    """What a role may do to every user, as a principal's `permissions` mean.

    The domain grants a plain user its permissions on their own record only (see
    `ROLE_PERMISSIONS`), and `@authorize(resource_id_field=...)` already lets anyone act on
    their own record; so only admins carry their permissions for all users.
    """
    return permissions_for(role) if role is UserRole.ADMIN else frozenset()


@dataclass(frozen=True, slots=True)
class UserPrincipal:
    user_id: str
    role: UserRole
    permissions: frozenset[str]
    is_admin: bool

    @classmethod
    def of(cls, account: Account) -> UserPrincipal:
        return cls(
            user_id=str(account.user_id),
            role=account.role,
            permissions=permissions_on_any_user(account.role),
            is_admin=account.role is UserRole.ADMIN,
        )


# Acts for the application itself (start-up tasks), never for a caller.
SYSTEM_PRINCIPAL = UserPrincipal(
    user_id="system",
    role=UserRole.ADMIN,
    permissions=permissions_for(UserRole.ADMIN),
    is_admin=True,
)


class PrincipalDirectory:
    def __init__(
        self,
        accounts: AccountStore,
        *,
        ttl_seconds: float,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._accounts = accounts
        self._ttl = ttl_seconds
        self._max_entries = max_entries
        self._clock = clock
        # user id -> (principal, or None for a user who may not act; expiry)
        self._known: dict[UUID, tuple[UserPrincipal | None, float]] = {}

    async def principal(self, user_id: UUID) -> UserPrincipal | None:
        """The active user's principal; None for a deleted or deactivated user."""
        now = self._clock()
        known = self._known.get(user_id)
        if known is not None and known[1] > now:
            return known[0]
        account = await self._accounts.by_id(user_id)
        principal = UserPrincipal.of(account) if account and account.is_active else None
        if self._ttl > 0:
            if len(self._known) >= self._max_entries:
                self._known.pop(next(iter(self._known)))
            self._known[user_id] = (principal, now + self._ttl)
        return principal

    def forget(self, user_ids: Iterable[str]) -> None:
        for user_id in user_ids:
            try:
                self._known.pop(UUID(user_id), None)
            except ValueError:
                continue

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        """After-commit hook: whatever happened to an aggregate, forget it if it is a user."""
        self.forget(event.aggregate_id for event in events)
