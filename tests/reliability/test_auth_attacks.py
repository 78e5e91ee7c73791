"""Tokens that must not work, and users who must not see each other's data."""

from __future__ import annotations

import httpx
import pytest

from tests.reliability.served import ServedApp, bearer, create_user, user_password
from tests.reliability.tokens import claims_for, signed_token

USERS = "/api/v1/users"


def user_id_of(app: ServedApp, token: str) -> str:
    """The admin's own id, found through the list (the admin is the only admin)."""
    reply = httpx.get(f"{app.base_url}{USERS}?role=admin", headers=bearer(token), timeout=10)
    assert reply.status_code == 200, reply.text
    user_id: str = reply.json()["items"][0]["id"]
    return user_id


def assert_unauthenticated(reply: httpx.Response) -> None:
    assert reply.status_code == 401, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json")
    assert reply.headers["www-authenticate"].startswith("Bearer")


@pytest.fixture(scope="module")
def admin_token(served: ServedApp) -> str:
    return served.token()


def forged(served: ServedApp, admin_token: str, **changes: object) -> str:
    claims = claims_for(user_id_of(served, admin_token), served.environment["APP_NAME"])
    secret = str(changes.pop("secret", served.environment["SECRET_KEY"]))
    header = changes.pop("header", None)
    claims.update(changes)
    return signed_token(claims, secret, header=header)  # type: ignore[arg-type]


def test_a_well_formed_forged_token_is_accepted_only_with_the_right_key(
    served: ServedApp, admin_token: str
) -> None:
    good = forged(served, admin_token)
    assert (
        httpx.get(f"{served.base_url}{USERS}", headers=bearer(good), timeout=10).status_code == 200
    )
    wrong_key = forged(served, admin_token, secret="not-the-secret-key")
    assert_unauthenticated(
        httpx.get(f"{served.base_url}{USERS}", headers=bearer(wrong_key), timeout=10)
    )


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"exp": 1_000_000_000, "iat": 999_999_000}, id="expired"),
        pytest.param({"iss": "someone-else"}, id="other-issuer"),
        pytest.param({"header": {"alg": "none", "typ": "JWT"}}, id="alg-none"),
        pytest.param({"header": {"alg": "HS512", "typ": "JWT"}}, id="algorithm-mismatch"),
        pytest.param({"sub": "not-a-uuid"}, id="malformed-subject"),
        pytest.param({"sub": "00000000-0000-4000-8000-000000000000"}, id="unknown-user"),
    ],
)
def test_a_token_that_fails_any_check_is_refused_with_401(
    served: ServedApp, admin_token: str, changes: dict[str, object]
) -> None:
    token = forged(served, admin_token, **changes)
    assert_unauthenticated(
        httpx.get(f"{served.base_url}{USERS}", headers=bearer(token), timeout=10)
    )


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "Bearer",
        "Bearer not.a.jwt",
        "Bearer a.b",
        "Bearer " + "a" * 5000,
        "Basic YWRtaW46YWRtaW4=",
    ],
)
def test_a_missing_or_malformed_authorization_header_is_refused_with_401(
    served: ServedApp, authorization: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    assert_unauthenticated(httpx.get(f"{served.base_url}{USERS}", headers=headers, timeout=10))


def test_a_deleted_users_token_stops_working(served: ServedApp, admin_token: str) -> None:
    user_id = create_user(served, admin_token, "leaver")
    token = served.token("leaver@example.com", user_password("leaver"))
    own = f"{served.base_url}{USERS}/{user_id}"
    assert httpx.get(own, headers=bearer(token), timeout=10).status_code == 200
    assert httpx.delete(own, headers=bearer(admin_token), timeout=10).status_code == 204
    assert_unauthenticated(httpx.get(own, headers=bearer(token), timeout=10))


def test_a_deactivated_users_token_stops_working(served: ServedApp, admin_token: str) -> None:
    user_id = create_user(served, admin_token, "sleeper")
    token = served.token("sleeper@example.com", user_password("sleeper"))
    own = f"{served.base_url}{USERS}/{user_id}"
    assert httpx.get(own, headers=bearer(token), timeout=10).status_code == 200
    deactivate = httpx.post(f"{own}/deactivate", headers=bearer(admin_token), timeout=10)
    assert deactivate.status_code == 204, deactivate.text
    assert_unauthenticated(httpx.get(own, headers=bearer(token), timeout=10))


def test_a_user_cannot_read_or_change_another_users_data(
    served: ServedApp, admin_token: str
) -> None:
    alice = create_user(served, admin_token, "alice")
    bob = create_user(served, admin_token, "bob")
    token = served.token("alice@example.com", user_password("alice"))
    base = served.base_url
    with httpx.Client(base_url=base, headers=bearer(token), timeout=10) as alice_client:
        assert alice_client.get(f"{USERS}/{alice}").status_code == 200
        for reply in (
            alice_client.get(f"{USERS}/{bob}"),
            alice_client.patch(f"{USERS}/{bob}", json={"full_name": "Hijacked"}),
            alice_client.delete(f"{USERS}/{bob}"),
            alice_client.post(f"{USERS}/{bob}/deactivate"),
        ):
            assert reply.status_code in (403, 404), reply.text
            assert "bob@example.com" not in reply.text
        listing = alice_client.get(USERS)
        if listing.status_code == 200:
            assert {item["id"] for item in listing.json()["items"]} <= {alice}
        else:
            assert listing.status_code == 403, listing.text
        stats = alice_client.get(f"{USERS}/stats")
        assert stats.status_code in (200, 403), stats.text
    bob_now = httpx.get(f"{base}{USERS}/{bob}", headers=bearer(admin_token), timeout=10).json()
    assert bob_now["full_name"] == "Bob"
    assert bob_now["is_active"] is True
