"""Signing in (email and password for a token) and authenticating (token for a principal)."""

from __future__ import annotations

import asyncio
import secrets
from uuid import UUID

from app.infrastructure.auth.accounts import AccountStore
from app.infrastructure.auth.passwords import PasswordHasher
from app.infrastructure.auth.principals import PrincipalDirectory, UserPrincipal
from app.infrastructure.auth.tokens import InvalidTokenError, IssuedToken, TokenService


class Authenticator:
    def __init__(
        self,
        accounts: AccountStore,
        passwords: PasswordHasher,
        tokens: TokenService,
        principals: PrincipalDirectory,
    ) -> None:
        self._accounts = accounts
        self._passwords = passwords
        self._tokens = tokens
        self._principals = principals
        self._decoy_hash: str | None = None
        self._decoy_lock = asyncio.Lock()

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
        try:
            claims = self._tokens.verify(token)
            user_id = UUID(claims.subject)
        except (InvalidTokenError, ValueError):
            return None
        return await self._principals.principal(user_id)

    async def _decoy(self) -> str:
        async with self._decoy_lock:
            if self._decoy_hash is None:
                self._decoy_hash = await self._passwords.hash(secrets.token_urlsafe(16))
            return self._decoy_hash
