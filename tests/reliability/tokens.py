"""Hand-made JWTs (HS256 over the standard library), so tests can forge and corrupt tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any


def _segment(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed_token(
    claims: dict[str, Any], secret: str, *, header: dict[str, Any] | None = None
) -> str:
    head = _segment(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    body = _segment(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_segment(signature)}"


def claims_for(
    subject: str, issuer: str, *, role: str = "admin", lifetime: int = 600
) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": subject, "role": role, "iss": issuer, "iat": now - 5, "exp": now + lifetime}
