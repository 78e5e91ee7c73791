"""Who the users API tests act as, with or without authentication in the project.

With JWT auth, an actor is a signed-in user and sends a bearer token; without it (auth=none)
routes are open and every actor sends nothing. Tests read the same either way.
"""

from __future__ import annotations

import base64
import importlib.util
import json
from dataclasses import dataclass, field
from typing import Any

import httpx

AUTH_ENABLED = importlib.util.find_spec("app.api.security") is not None

USERS = "/api/v1/users"
TOKEN_URL = "/api/v1/auth/token"
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-1"
PASSWORD = "user-password-1"


@dataclass(frozen=True)
class Actor:
    user_id: str | None
    headers: dict[str, str] = field(default_factory=dict)


def token_subject(token: str) -> str:
    """The `sub` claim, read without checking the signature (the server did that)."""
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return str(claims["sub"])


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> Actor:
    if not AUTH_ENABLED:
        return Actor(user_id=None)
    response = await client.post(TOKEN_URL, data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    return Actor(user_id=token_subject(token), headers={"Authorization": f"Bearer {token}"})


def new_user(email: str, **changes: Any) -> dict[str, Any]:
    """A valid body for POST /api/v1/users."""
    body: dict[str, Any] = {
        "email": email,
        "username": email.partition("@")[0],
        "full_name": f"User {email.partition('@')[0].title()}",
        "password": PASSWORD,
    }
    body.update(changes)
    return body


async def create_user(client: httpx.AsyncClient, by: Actor, email: str, **changes: Any) -> str:
    response = await client.post(USERS, json=new_user(email, **changes), headers=by.headers)
    assert response.status_code == 201, response.text
    user_id: str = response.json()["id"]
    return user_id


async def user_actor(client: httpx.AsyncClient, admin: Actor, email: str) -> Actor:
    """A plain user, created by the admin, acting for themselves."""
    user_id = await create_user(client, admin, email)
    actor = await sign_in(client, email, PASSWORD)
    return Actor(user_id=user_id, headers=actor.headers)
