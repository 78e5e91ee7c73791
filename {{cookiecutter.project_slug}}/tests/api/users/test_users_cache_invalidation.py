"""Every users command drops the cached reads it changes: the next read shows the new data.

Each read below is made twice before the command, so it is served from the cache; the read
after the command must not be. Runs on the in-process cache here, and on Redis in
tests/infrastructure/cache/redis/test_users_invalidation.py when the project has it.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.users.actors import USERS, Actor, create_user


async def cached(client: httpx.AsyncClient, admin: Actor, path: str, **params: Any) -> Any:
    for _ in range(2):
        response = await client.get(path, params=params, headers=admin.headers)
        assert response.status_code == 200, response.text
    return response.json()


async def test_creating_a_user_refreshes_the_cached_list_and_stats(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    await create_user(client, admin, "first@example.com")
    listed = await cached(client, admin, USERS, email_contains="example")
    stats = await cached(client, admin, f"{USERS}/stats")

    await create_user(client, admin, "second@example.com")

    listed_after = (
        await client.get(USERS, params={"email_contains": "example"}, headers=admin.headers)
    ).json()
    stats_after = (await client.get(f"{USERS}/stats", headers=admin.headers)).json()
    assert listed_after["pagination"]["total_count"] == listed["pagination"]["total_count"] + 1
    assert stats_after["total"] == stats["total"] + 1


async def test_updating_a_user_refreshes_the_cached_user_and_list(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "ada@example.com", full_name="Ada")
    await cached(client, admin, f"{USERS}/{user_id}")
    await cached(client, admin, USERS, email_contains="ada")

    await client.patch(f"{USERS}/{user_id}", json={"full_name": "Ada L."}, headers=admin.headers)

    user = (await client.get(f"{USERS}/{user_id}", headers=admin.headers)).json()
    listed = (
        await client.get(USERS, params={"email_contains": "ada"}, headers=admin.headers)
    ).json()
    assert user["full_name"] == "Ada L."
    assert [item["full_name"] for item in listed["items"]] == ["Ada L."]


async def test_deactivating_a_user_refreshes_the_cached_user_and_stats(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "grace@example.com")
    await cached(client, admin, f"{USERS}/{user_id}")
    stats = await cached(client, admin, f"{USERS}/stats")

    response = await client.post(f"{USERS}/{user_id}/deactivate", headers=admin.headers)
    assert response.status_code == 204, response.text

    user = (await client.get(f"{USERS}/{user_id}", headers=admin.headers)).json()
    stats_after = (await client.get(f"{USERS}/stats", headers=admin.headers)).json()
    assert user["is_active"] is False
    assert stats_after["inactive"] == stats["inactive"] + 1


async def test_deleting_a_user_refreshes_the_cached_user_list_and_stats(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "linus@example.com")
    await cached(client, admin, f"{USERS}/{user_id}")
    await cached(client, admin, USERS, email_contains="linus")
    stats = await cached(client, admin, f"{USERS}/stats")

    response = await client.delete(f"{USERS}/{user_id}", headers=admin.headers)
    assert response.status_code == 204, response.text

    gone = await client.get(f"{USERS}/{user_id}", headers=admin.headers)
    listed = (
        await client.get(USERS, params={"email_contains": "linus"}, headers=admin.headers)
    ).json()
    stats_after = (await client.get(f"{USERS}/stats", headers=admin.headers)).json()
    assert gone.status_code == 404
    assert listed["items"] == []
    assert stats_after["total"] == stats["total"] - 1
