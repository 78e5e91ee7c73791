"""Idempotency-Key on POST /api/v1/users: a retry replays the first answer, never a second run."""

from __future__ import annotations

import asyncio

import httpx

from tests.api.users.actors import USERS, Actor, new_user


async def count_users(client: httpx.AsyncClient, admin: Actor, email: str) -> int:
    response = await client.get(USERS, params={"email_contains": email}, headers=admin.headers)
    total: int = response.json()["pagination"]["total_count"]
    return total


async def test_a_repeated_key_with_the_same_body_replays_the_first_response_and_creates_once(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    headers = {**admin.headers, "Idempotency-Key": "create-ada-1"}
    body = new_user("ada@example.com")

    first = await client.post(USERS, json=body, headers=headers)
    second = await client.post(USERS, json=body, headers=headers)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await count_users(client, admin, "ada@example.com") == 1


async def test_the_same_body_with_its_fields_reordered_is_the_same_request(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    headers = {**admin.headers, "Idempotency-Key": "create-ada-2"}
    body = new_user("ada@example.com")
    reordered = dict(reversed(list(body.items())))

    first = await client.post(USERS, json=body, headers=headers)
    second = await client.post(USERS, json=reordered, headers=headers)

    assert second.status_code == 201
    assert second.json() == first.json()


async def test_a_repeated_key_with_a_different_body_is_a_422_and_runs_nothing(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    headers = {**admin.headers, "Idempotency-Key": "create-3"}
    await client.post(USERS, json=new_user("ada@example.com"), headers=headers)

    response = await client.post(USERS, json=new_user("grace@example.com"), headers=headers)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "Idempotency-Key" in response.json()["errors"]
    assert await count_users(client, admin, "grace@example.com") == 0


async def test_a_failed_outcome_is_replayed_too(client: httpx.AsyncClient, admin: Actor) -> None:
    await client.post(USERS, json=new_user("ada@example.com"), headers=admin.headers)
    headers = {**admin.headers, "Idempotency-Key": "dup-1"}

    first = await client.post(USERS, json=new_user("ada@example.com"), headers=headers)
    second = await client.post(USERS, json=new_user("ada@example.com"), headers=headers)

    assert first.status_code == second.status_code == 409
    assert second.headers["content-type"] == "application/problem+json"
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"


async def test_without_a_key_a_repeat_runs_again(client: httpx.AsyncClient, admin: Actor) -> None:
    body = new_user("ada@example.com")

    first = await client.post(USERS, json=body, headers=admin.headers)
    second = await client.post(USERS, json=body, headers=admin.headers)

    assert (first.status_code, second.status_code) == (201, 409)


async def test_concurrent_requests_with_one_key_create_the_user_once(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    headers = {**admin.headers, "Idempotency-Key": "race-1"}
    body = new_user("ada@example.com")

    responses = await asyncio.gather(
        *(client.post(USERS, json=body, headers=headers) for _ in range(5))
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses[0] == 201
    assert set(statuses) <= {201, 409}
    created = {response.json()["id"] for response in responses if response.status_code == 201}
    assert len(created) == 1
    assert await count_users(client, admin, "ada@example.com") == 1


async def test_an_overlong_key_is_a_422(client: httpx.AsyncClient, admin: Actor) -> None:
    headers = {**admin.headers, "Idempotency-Key": "k" * 256}

    response = await client.post(USERS, json=new_user("ada@example.com"), headers=headers)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
