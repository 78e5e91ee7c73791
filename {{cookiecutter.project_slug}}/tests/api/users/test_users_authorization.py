"""Who may do what to users (auth=jwt): admins anything, plain users only their own record."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.api.users.actors import USERS, Actor, create_user, new_user, user_actor


@pytest.fixture
async def plain(client: httpx.AsyncClient, admin: Actor) -> Actor:
    return await user_actor(client, admin, "plain@example.com")


@pytest.fixture
async def other(client: httpx.AsyncClient, admin: Actor) -> str:
    return await create_user(client, admin, "other@example.com")


def assert_forbidden(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "Permission denied"


async def test_every_users_route_needs_a_token(client: httpx.AsyncClient, other: str) -> None:
    routes = [
        ("POST", USERS, new_user("x@example.com")),
        ("GET", USERS, None),
        ("GET", f"{USERS}/stats", None),
        ("GET", f"{USERS}/{other}", None),
        ("PATCH", f"{USERS}/{other}", {"full_name": "X"}),
        ("DELETE", f"{USERS}/{other}", None),
        ("POST", f"{USERS}/{other}/deactivate", None),
    ]
    for method, url, body in routes:
        response = await client.request(method, url, json=body)

        assert response.status_code == 401, (method, url)
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"] == "application/problem+json"


async def test_a_plain_user_reads_and_changes_their_own_record(
    client: httpx.AsyncClient, plain: Actor
) -> None:
    own = f"{USERS}/{plain.user_id}"

    assert (await client.get(own, headers=plain.headers)).status_code == 200
    patched = await client.patch(own, json={"full_name": "Plain Jane"}, headers=plain.headers)

    assert patched.status_code == 200
    assert patched.json()["full_name"] == "Plain Jane"


async def test_a_plain_user_cannot_read_or_change_anyone_else(
    client: httpx.AsyncClient, plain: Actor, other: str
) -> None:
    theirs = f"{USERS}/{other}"

    assert_forbidden(await client.get(theirs, headers=plain.headers))
    assert_forbidden(await client.patch(theirs, json={"full_name": "X"}, headers=plain.headers))
    assert_forbidden(await client.delete(theirs, headers=plain.headers))
    assert_forbidden(await client.post(f"{theirs}/deactivate", headers=plain.headers))


async def test_a_plain_user_cannot_list_count_or_create_users(
    client: httpx.AsyncClient, plain: Actor
) -> None:
    assert_forbidden(await client.get(USERS, headers=plain.headers))
    assert_forbidden(await client.get(f"{USERS}/stats", headers=plain.headers))
    assert_forbidden(
        await client.post(USERS, json=new_user("x@example.com"), headers=plain.headers)
    )


async def test_a_plain_user_asking_for_an_unknown_user_learns_nothing_from_a_404(
    client: httpx.AsyncClient, plain: Actor
) -> None:
    assert_forbidden(await client.get(f"{USERS}/{uuid.uuid4()}", headers=plain.headers))


async def test_an_admin_acts_on_any_user(
    client: httpx.AsyncClient, admin: Actor, other: str
) -> None:
    theirs = f"{USERS}/{other}"

    assert (await client.get(theirs, headers=admin.headers)).status_code == 200
    assert (
        await client.patch(theirs, json={"full_name": "Renamed"}, headers=admin.headers)
    ).status_code == 200
    assert (await client.post(f"{theirs}/deactivate", headers=admin.headers)).status_code == 204
    assert (await client.delete(theirs, headers=admin.headers)).status_code == 204


async def test_a_plain_user_may_delete_their_own_account(
    client: httpx.AsyncClient, plain: Actor, admin: Actor
) -> None:
    response = await client.delete(f"{USERS}/{plain.user_id}", headers=plain.headers)

    assert response.status_code == 204
    gone = await client.get(f"{USERS}/{plain.user_id}", headers=admin.headers)
    assert gone.status_code == 404


async def test_denied_requests_change_nothing(
    client: httpx.AsyncClient, plain: Actor, admin: Actor, other: str
) -> None:
    await client.patch(f"{USERS}/{other}", json={"full_name": "Hacked"}, headers=plain.headers)

    user = (await client.get(f"{USERS}/{other}", headers=admin.headers)).json()
    assert user["full_name"] != "Hacked"
    assert user["version"] == 1
