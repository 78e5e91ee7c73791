"""The bearer-token check, as a hand-written service would do it: PyJWT and a plain dependency."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jwt
from fastapi import HTTPException, Request

REQUIRED_CLAIMS = ["sub", "role", "exp", "iat", "iss"]


def bearer_check(secret_key: str, issuer: str) -> Callable[[Request], dict[str, Any]]:
    """A dependency returning the token's claims, or answering 401."""

    def claims(request: Request) -> dict[str, Any]:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "Send a bearer token", {"WWW-Authenticate": "Bearer"})
        try:
            decoded: dict[str, Any] = jwt.decode(
                token,
                secret_key,
                algorithms=["HS256"],
                issuer=issuer,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            raise HTTPException(401, "Invalid token", {"WWW-Authenticate": "Bearer"}) from exc
        if decoded["exp"] <= time.time():
            raise HTTPException(401, "Expired token", {"WWW-Authenticate": "Bearer"})
        return decoded

    return claims
