"""POST /api/v1/auth/token and the first superuser (auth=jwt)."""

from __future__ import annotations

import httpx
import pytest

from app.container import build_container
from app.main import create_app
from app.settings import Settings
from tests.api.users.actors import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PASSWORD,
    TOKEN_URL,
    USERS,
    Actor,
    create_user,
    sign_in,
)
from tests.support.passwords import use_fast_password_hashing


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"first_superuser_email": ADMIN_EMAIL, "first_superuser_password": ADMIN_PASSWORD}
    )


@pytest.fixture
async def admin(client: httpx.AsyncClient) -> Actor:
    return await sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)


async def test_a_right_password_gets_a_bearer_token_with_its_lifetime(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    response = await client.post(
        TOKEN_URL, data={"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    )

    assert response.status_code == 200
    body = response.json()
    assert body.keys() == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.access_token_expire_minutes * 60


async def test_the_email_is_matched_whatever_its_case(client: httpx.AsyncClient) -> None:
    response = await client.post(
        TOKEN_URL, data={"username": ADMIN_EMAIL.upper(), "password": ADMIN_PASSWORD}
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("username", "password"),
    [
        (ADMIN_EMAIL, "wrong-password"),
        ("nobody@example.com", ADMIN_PASSWORD),
        ("admin\u0000@example.com", ADMIN_PASSWORD),
    ],
    ids=["wrong password", "unknown email", "unstorable email"],
)
async def test_wrong_credentials_are_a_401_that_does_not_say_which_part_was_wrong(
    client: httpx.AsyncClient, username: str, password: str
) -> None:
    response = await client.post(TOKEN_URL, data={"username": username, "password": password})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "The email or password is wrong, or the account is inactive"
    )


async def test_a_deactivated_user_cannot_sign_in(client: httpx.AsyncClient, admin: Actor) -> None:
    user_id = await create_user(client, admin, "ada@example.com")
    await client.post(f"{USERS}/{user_id}/deactivate", headers=admin.headers)

    response = await client.post(
        TOKEN_URL, data={"username": "ada@example.com", "password": PASSWORD}
    )

    assert response.status_code == 401


async def test_a_changed_password_replaces_the_old_one(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "ada@example.com")
    await client.patch(
        f"{USERS}/{user_id}", json={"password": "brand-new-pass"}, headers=admin.headers
    )

    old = await client.post(TOKEN_URL, data={"username": "ada@example.com", "password": PASSWORD})
    new = await client.post(
        TOKEN_URL, data={"username": "ada@example.com", "password": "brand-new-pass"}
    )

    assert (old.status_code, new.status_code) == (401, 200)


async def test_a_form_without_a_password_is_a_422_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(TOKEN_URL, data={"username": ADMIN_EMAIL})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "password" in response.json()["errors"]


async def test_the_first_superuser_exists_once_the_app_has_started_and_is_an_admin(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    response = await client.get(f"{USERS}/{admin.user_id}", headers=admin.headers)

    assert response.status_code == 200
    assert (response.json()["email"], response.json()["role"]) == (ADMIN_EMAIL, "admin")


async def test_restarting_keeps_the_first_superuser_and_their_password(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    first = await sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    changed = settings.model_copy(update={"first_superuser_password": "another-password"})
    container = build_container(changed)
    use_fast_password_hashing(container)
    restarted = create_app(changed, container=container)

    async with restarted.router.lifespan_context(restarted):
        transport = httpx.ASGITransport(app=restarted)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as again:
            second = await sign_in(again, ADMIN_EMAIL, ADMIN_PASSWORD)
            admins = await again.get(USERS, params={"role": "admin"}, headers=second.headers)

    assert second.user_id == first.user_id
    assert admins.json()["pagination"]["total_count"] == 1
