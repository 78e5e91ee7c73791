"""Signed bearer tokens (JWT, HS256 by default).

A token names its subject (the user id) and role, and expires. Verification accepts only the
configured algorithm, requires every claim, and reports any fault as one `InvalidTokenError`
so callers answer 401 without telling an attacker which check failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

REQUIRED_CLAIMS = ("sub", "role", "exp", "iat", "iss")


class InvalidTokenError(Exception):
    """The token is missing, malformed, wrongly signed, expired or from another issuer."""


@dataclass(frozen=True, slots=True)
class TokenClaims:
    subject: str
    role: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 (the OAuth2 token type, not a secret)


class TokenService:
    def __init__(
        self,
        secret_key: str,
        *,
        issuer: str,
        lifetime: timedelta,
        algorithm: str = "HS256",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._secret_key = secret_key
        self._issuer = issuer
        self._lifetime = lifetime
        self._algorithm = algorithm
        self._clock = clock

    def issue(self, *, subject: str, role: str) -> IssuedToken:
        now = self._clock()
        claims = {
            "sub": subject,
            "role": role,
            "iss": self._issuer,
            "iat": int(now.timestamp()),
            "exp": int((now + self._lifetime).timestamp()),
        }
        token = jwt.encode(claims, self._secret_key, algorithm=self._algorithm)
        return IssuedToken(access_token=token, expires_in=int(self._lifetime.total_seconds()))

    def verify(self, token: str) -> TokenClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret_key,
                algorithms=[self._algorithm],
                issuer=self._issuer,
                # Time claims are checked below against the injected clock, not the wall clock.
                options={
                    "require": list(REQUIRED_CLAIMS),
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as exc:
            raise InvalidTokenError(str(exc)) from exc
        expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
        if expires_at <= self._clock():
            raise InvalidTokenError("Signature has expired")
        subject, role = claims["sub"], claims["role"]
        if not isinstance(subject, str) or not isinstance(role, str):
            raise InvalidTokenError("Claims have the wrong types")
        return TokenClaims(subject=subject, role=role, expires_at=expires_at)
