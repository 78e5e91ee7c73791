"""Principals: who a valid token speaks for, as `@authorize` sees them.

The role and active flag come from the users table, not from the token, so a role change,
deactivation or deletion takes effect before the token expires. Lookups are remembered for
`ttl_seconds` (the hot path never waits on the database); a committed change to a user
forgets that user at once in this process, other processes notice within `ttl_seconds`.
"""

from __future__ import annotations

import asyncio
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
    """Principals by user id, remembered for `ttl_seconds`.

    One lookup per user at a time: when a remembered principal expires under load, every
    request for it waits on the same lookup instead of each sending its own (a burst of up to
    one query per concurrent request, every `ttl_seconds`, that showed as latency spikes).
    """

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
        self._loading: dict[UUID, asyncio.Task[UserPrincipal | None]] = {}

    async def principal(self, user_id: UUID) -> UserPrincipal | None:
        """The active user's principal; None for a deleted or deactivated user."""
        known = self._known.get(user_id)
        if known is not None and known[1] > self._clock():
            return known[0]
        loading = self._loading.get(user_id)
        if loading is None:
            loading = asyncio.ensure_future(self._look_up(user_id))
            self._loading[user_id] = loading
        # Shielded: a caller that gives up does not cancel the lookup the others wait on.
        return await asyncio.shield(loading)

    async def _look_up(self, user_id: UUID) -> UserPrincipal | None:
        try:
            account = await self._accounts.by_id(user_id)
        except BaseException:
            self._stop_loading(user_id)
            raise
        principal = UserPrincipal.of(account) if account and account.is_active else None
        # Remembered only if the user was not changed (and forgotten) while it was read.
        if self._stop_loading(user_id) and self._ttl > 0:
            if len(self._known) >= self._max_entries:
                self._known.pop(next(iter(self._known)))
            self._known[user_id] = (principal, self._clock() + self._ttl)
        return principal

    def _stop_loading(self, user_id: UUID) -> bool:
        """Whether this task was still the user's lookup (not dropped by `forget`)."""
        if self._loading.get(user_id) is not asyncio.current_task():
            return False
        del self._loading[user_id]
        return True

    def forget(self, user_ids: Iterable[str]) -> None:
        for user_id in user_ids:
            try:
                known_id = UUID(user_id)
            except ValueError:
                continue
            self._known.pop(known_id, None)
            self._loading.pop(known_id, None)

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        """After-commit hook: whatever happened to an aggregate, forget it if it is a user."""
        self.forget(event.aggregate_id for event in events)
