"""Bearer tokens on the API (auth=jwt): what is refused, and when a good token stops working."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from app.infrastructure.auth.tokens import TokenService
from app.settings import Settings
from tests.api.users.actors import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PASSWORD,
    USERS,
    Actor,
    create_user,
    sign_in,
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"first_superuser_email": ADMIN_EMAIL, "first_superuser_password": ADMIN_PASSWORD}
    )


@pytest.fixture
async def admin(client: httpx.AsyncClient) -> Actor:
    return await sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)


def token_for(
    settings: Settings,
    subject: str | None,
    *,
    role: str = "admin",
    secret_key: str | None = None,
    issuer: str | None = None,
    issued_at: datetime | None = None,
) -> str:
    """A token as the app would issue it, but for the given changes."""
    assert subject is not None
    service = TokenService(
        secret_key or settings.secret_key,
        issuer=issuer or settings.app_name,
        lifetime=timedelta(minutes=5),
        clock=lambda: issued_at or datetime.now(UTC),
    )
    return service.issue(subject=subject, role=role).access_token


async def assert_refused(client: httpx.AsyncClient, token: str, url: str = USERS) -> None:
    response = await client.get(url, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_request_without_a_token_is_challenged(client: httpx.AsyncClient) -> None:
    response = await client.get(USERS)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["detail"] == "Send a bearer token in the Authorization header"


async def test_another_scheme_than_bearer_is_challenged(client: httpx.AsyncClient) -> None:
    response = await client.get(USERS, headers={"Authorization": "Basic YWRtaW46YWRtaW4="})

    assert response.status_code == 401


@pytest.mark.parametrize("token", ["not-a-token", "a.b.c", "", "Bearer"])
async def test_malformed_tokens_are_refused(client: httpx.AsyncClient, token: str) -> None:
    response = await client.get(USERS, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401


async def test_a_token_signed_with_another_key_is_refused(
    client: httpx.AsyncClient, settings: Settings, admin: Actor
) -> None:
    token = token_for(settings, admin.user_id, secret_key="someone-elses-secret-of-32-bytes")

    await assert_refused(client, token)


async def test_an_unsigned_token_is_refused(
    client: httpx.AsyncClient, settings: Settings, admin: Actor
) -> None:
    claims = {"sub": admin.user_id, "role": "admin", "iss": settings.app_name}
    now = int(datetime.now(UTC).timestamp())
    token = jwt.encode({**claims, "iat": now, "exp": now + 300}, None, algorithm="none")

    await assert_refused(client, token)


async def test_an_expired_token_is_refused(
    client: httpx.AsyncClient, settings: Settings, admin: Actor
) -> None:
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    token = token_for(settings, admin.user_id, issued_at=an_hour_ago)

    await assert_refused(client, token)


async def test_a_token_from_another_issuer_is_refused(
    client: httpx.AsyncClient, settings: Settings, admin: Actor
) -> None:
    token = token_for(settings, admin.user_id, issuer="elsewhere")

    await assert_refused(client, token)


async def test_a_token_naming_no_user_is_refused(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    token = token_for(settings, "not-a-user-id")

    await assert_refused(client, token)


async def test_the_role_claim_grants_nothing_the_database_does_not(
    client: httpx.AsyncClient, settings: Settings, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "ada@example.com")
    token = token_for(settings, user_id, role="admin")

    response = await client.get(USERS, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 403


async def test_a_deleted_users_token_stops_working_at_once(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "ada@example.com")
    ada = await sign_in(client, "ada@example.com", PASSWORD)
    assert (await client.get(f"{USERS}/{user_id}", headers=ada.headers)).status_code == 200

    await client.delete(f"{USERS}/{user_id}", headers=admin.headers)

    await assert_refused(client, ada.headers["Authorization"].split()[1], f"{USERS}/{user_id}")


async def test_a_deactivated_users_token_stops_working_at_once(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "ada@example.com")
    ada = await sign_in(client, "ada@example.com", PASSWORD)
    assert (await client.get(f"{USERS}/{user_id}", headers=ada.headers)).status_code == 200

    await client.post(f"{USERS}/{user_id}/deactivate", headers=admin.headers)

    await assert_refused(client, ada.headers["Authorization"].split()[1], f"{USERS}/{user_id}")


async def test_the_openapi_document_declares_the_bearer_scheme_on_every_users_route(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()

    scheme = document["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    for path, item in document["paths"].items():
        if path.startswith(USERS):
            for operation in item.values():
                assert operation["security"] == [{"OAuth2PasswordBearer": []}], path
    token_route = document["paths"]["/api/v1/auth/token"]["post"]
    assert set(token_route["responses"]) == {"200", "400", "401", "413", "422", "500", "503"}
