"""Signing in (email and password for a token) and authenticating (token for a principal).

Checking a token's signature costs more CPU than the rest of a cached read, and a client sends
the same token many times; so a token that verified is remembered (by its exact text, until it
expires, a bounded number of them). A forged or altered token is different text and is
verified afresh.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from app.infrastructure.auth.accounts import AccountStore
from app.infrastructure.auth.passwords import PasswordHasher
from app.infrastructure.auth.principals import PrincipalDirectory, UserPrincipal
from app.infrastructure.auth.tokens import InvalidTokenError, IssuedToken, TokenService


def _now() -> datetime:
    return datetime.now(UTC)


class Authenticator:
    def __init__(
        self,
        accounts: AccountStore,
        passwords: PasswordHasher,
        tokens: TokenService,
        principals: PrincipalDirectory,
        *,
        remembered_tokens: int = 10_000,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._accounts = accounts
        self._passwords = passwords
        self._tokens = tokens
        self._principals = principals
        self._decoy_hash: str | None = None
        self._decoy_lock = asyncio.Lock()
        # token text -> (user id, expiry)
        self._verified: dict[str, tuple[UUID, datetime]] = {}
        self._remembered_tokens = remembered_tokens
        self._clock = clock

    async def sign_in(self, email: str, password: str) -> IssuedToken | None:
        """A token for an active user whose password matches; None, whatever the reason, if not."""
        account = await self._accounts.by_email(email)
        if account is None:
            # Hash anyway, so an unknown email takes as long as a wrong password.
            await self._passwords.verify(await self._decoy(), password)
            return None
        if not await self._passwords.verify(account.hashed_password, password):
            return None
        if not account.is_active:
            return None
        return self._tokens.issue(subject=str(account.user_id), role=account.role.value)

    async def principal_for(self, token: str) -> UserPrincipal | None:
        """The principal a valid token speaks for; None if the token or its user is not good."""
        user_id = self._verified_subject(token)
        if user_id is None:
            return None
        return await self._principals.principal(user_id)

    def _verified_subject(self, token: str) -> UUID | None:
        known = self._verified.get(token)
        if known is not None:
            if known[1] > self._clock():
                return known[0]
            del self._verified[token]
        try:
            claims = self._tokens.verify(token)
            user_id = UUID(claims.subject)
        except (InvalidTokenError, ValueError):
            return None
        if len(self._verified) >= self._remembered_tokens:
            self._verified.pop(next(iter(self._verified)))
        self._verified[token] = (user_id, claims.expires_at)
        return user_id

    async def _decoy(self) -> str:
        async with self._decoy_lock:
            if self._decoy_hash is None:
                self._decoy_hash = await self._passwords.hash(secrets.token_urlsafe(16))
            return self._decoy_hash
