"""The users API, route by route: what each answers, for success and for every failure."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from app.api.problems import PROBLEM_MEDIA_TYPE
from tests.api.users.actors import USERS, Actor, create_user, new_user


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["instance"] == response.request.url.path
    assert {"type", "title"} <= body.keys()
    return body


async def test_creating_a_user_answers_201_with_its_id_and_location(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    response = await client.post(USERS, json=new_user("ada@example.com"), headers=admin.headers)

    assert response.status_code == 201
    user_id = response.json()["id"]
    assert uuid.UUID(user_id)
    assert response.headers["location"] == f"{USERS}/{user_id}"


async def test_a_created_user_can_be_read_back_at_once(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "Grace@Example.com", full_name="Grace Hopper")

    response = await client.get(f"{USERS}/{user_id}", headers=admin.headers)

    assert response.status_code == 200
    user = response.json()
    assert user["id"] == user_id
    assert user["email"] == "grace@example.com"
    assert user["full_name"] == "Grace Hopper"
    assert (user["role"], user["is_active"], user["version"]) == ("user", True, 1)
    assert "password" not in str(user)


async def test_a_second_user_with_the_same_email_is_a_409_naming_the_field(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    await create_user(client, admin, "ada@example.com")

    response = await client.post(USERS, json=new_user("ADA@example.com"), headers=admin.headers)

    problem = assert_problem(response, 409)
    assert problem["errors"] == {"email": "A user with this email already exists"}


async def test_an_invalid_new_user_is_a_422_naming_each_bad_field(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    body = new_user("not-an-email", password="short", username="  ")

    response = await client.post(USERS, json=body, headers=admin.headers)

    problem = assert_problem(response, 422)
    assert {"email", "password", "username"} <= problem["errors"].keys()


async def test_text_the_database_cannot_store_is_a_422_not_a_500(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    for field in ("username", "full_name", "email"):
        body = new_user("ada@example.com")
        body[field] = "nul\u0000" + body[field]

        problem = assert_problem(await client.post(USERS, json=body, headers=admin.headers), 422)
        assert field in problem["errors"]
    search = await client.get(USERS, params={"email_contains": "a\u0000b"}, headers=admin.headers)
    assert "email_contains" in assert_problem(search, 422)["errors"]


async def test_a_body_that_cannot_be_decoded_is_a_400_problem(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    response = await client.post(
        USERS,
        content=b'{"email": "\xff\xfe"}',
        headers={**admin.headers, "content-type": "application/json"},
    )

    assert_problem(response, 400)


async def test_unknown_fields_in_a_body_are_refused(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    body = new_user("ada@example.com", is_superuser=True)

    response = await client.post(USERS, json=body, headers=admin.headers)

    problem = assert_problem(response, 422)
    assert problem["errors"] == {"is_superuser": "Extra inputs are not permitted"}


async def test_a_body_that_is_not_json_is_a_422_problem(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    response = await client.post(
        USERS,
        content=b"{not json",
        headers={**admin.headers, "content-type": "application/json"},
    )

    assert_problem(response, 422)


async def test_an_unknown_user_is_a_404(client: httpx.AsyncClient, admin: Actor) -> None:
    response = await client.get(f"{USERS}/{uuid.uuid4()}", headers=admin.headers)

    problem = assert_problem(response, 404)
    assert problem["detail"] == "User not found"


async def test_a_malformed_user_id_is_a_422(client: httpx.AsyncClient, admin: Actor) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = await client.request(
            method, f"{USERS}/not-a-uuid", json={"full_name": "X"}, headers=admin.headers
        )

        problem = assert_problem(response, 422)
        assert "user_id" in problem["errors"]


async def test_patching_a_user_changes_only_the_given_fields_and_returns_the_user(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "ada@example.com", full_name="Ada")

    response = await client.patch(
        f"{USERS}/{user_id}", json={"full_name": "Ada Lovelace"}, headers=admin.headers
    )

    assert response.status_code == 200
    assert response.json()["full_name"] == "Ada Lovelace"
    assert response.json()["version"] == 2
    read_back = (await client.get(f"{USERS}/{user_id}", headers=admin.headers)).json()
    assert read_back == response.json()


async def test_a_patch_is_seen_by_the_next_read_even_when_the_user_was_cached(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "ada@example.com")
    await client.get(f"{USERS}/{user_id}", headers=admin.headers)
    await client.get(f"{USERS}/{user_id}", headers=admin.headers)

    await client.patch(f"{USERS}/{user_id}", json={"username": "countess"}, headers=admin.headers)

    response = await client.get(f"{USERS}/{user_id}", headers=admin.headers)
    assert response.json()["username"] == "countess"


async def test_a_patch_with_nothing_to_change_is_a_422(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "ada@example.com")

    response = await client.patch(f"{USERS}/{user_id}", json={}, headers=admin.headers)

    problem = assert_problem(response, 422)
    assert problem["detail"] == "Give at least one field to change"


async def test_patching_an_email_to_one_already_taken_is_a_409(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    await create_user(client, admin, "ada@example.com")
    user_id = await create_user(client, admin, "grace@example.com")

    response = await client.patch(
        f"{USERS}/{user_id}", json={"email": "ada@example.com"}, headers=admin.headers
    )

    assert_problem(response, 409)


async def test_patching_an_unknown_user_is_a_404(client: httpx.AsyncClient, admin: Actor) -> None:
    response = await client.patch(
        f"{USERS}/{uuid.uuid4()}", json={"full_name": "Nobody"}, headers=admin.headers
    )

    assert_problem(response, 404)


async def test_deleting_a_user_answers_204_and_the_user_is_gone(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "ada@example.com")

    response = await client.delete(f"{USERS}/{user_id}", headers=admin.headers)

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(await client.get(f"{USERS}/{user_id}", headers=admin.headers), 404)
    assert_problem(await client.delete(f"{USERS}/{user_id}", headers=admin.headers), 404)


async def test_deactivating_a_user_keeps_them_listed_as_inactive(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    user_id = await create_user(client, admin, "ada@example.com")

    response = await client.post(f"{USERS}/{user_id}/deactivate", headers=admin.headers)

    assert response.status_code == 204
    user = (await client.get(f"{USERS}/{user_id}", headers=admin.headers)).json()
    assert user["is_active"] is False
    again = await client.post(f"{USERS}/{user_id}/deactivate", headers=admin.headers)
    assert again.status_code == 204


async def test_listing_users_filters_and_pages(client: httpx.AsyncClient, admin: Actor) -> None:
    for name in ("alice", "bob", "carol", "dave", "erin"):
        await create_user(client, admin, f"{name}@corp.example")
    await create_user(client, admin, "boss@corp.example", role="admin")

    response = await client.get(
        USERS,
        params={"email_contains": "CORP", "role": "user", "page": 2, "page_size": 2},
        headers=admin.headers,
    )

    assert response.status_code == 200
    body = response.json()
    assert [user["email"] for user in body["items"]] == ["carol@corp.example", "dave@corp.example"]
    assert body["pagination"] == {
        "page": 2,
        "page_size": 2,
        "total_count": 5,
        "total_pages": 3,
        "has_next": True,
        "has_previous": True,
    }


async def test_listing_only_inactive_users(client: httpx.AsyncClient, admin: Actor) -> None:
    user_id = await create_user(client, admin, "ada@example.com")
    await create_user(client, admin, "grace@example.com")
    await client.post(f"{USERS}/{user_id}/deactivate", headers=admin.headers)

    body = (await client.get(USERS, params={"is_active": False}, headers=admin.headers)).json()

    assert [user["id"] for user in body["items"]] == [user_id]


async def test_a_page_past_the_end_is_empty_but_counts_everything(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    await create_user(client, admin, "ada@example.com")

    body = (await client.get(USERS, params={"page": 50}, headers=admin.headers)).json()

    assert body["items"] == []
    assert body["pagination"]["total_count"] >= 1
    assert body["pagination"]["has_next"] is False


async def test_a_page_number_past_any_real_listing_is_a_422_not_a_database_overflow(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    response = await client.get(USERS, params={"page": 10**25}, headers=admin.headers)

    assert "page" in assert_problem(response, 422)["errors"]


async def test_page_size_is_capped_at_100(client: httpx.AsyncClient, admin: Actor) -> None:
    assert (await client.get(USERS, params={"page_size": 100}, headers=admin.headers)).is_success

    problem = assert_problem(
        await client.get(USERS, params={"page_size": 101}, headers=admin.headers), 422
    )
    assert "page_size" in problem["errors"]


async def test_bad_list_parameters_are_422s(client: httpx.AsyncClient, admin: Actor) -> None:
    for params in ({"page": 0}, {"page_size": 0}, {"role": "emperor"}, {"is_active": "maybe"}):
        assert_problem(await client.get(USERS, params=params, headers=admin.headers), 422)


async def test_stats_count_users_by_role_and_activity(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    before = (await client.get(f"{USERS}/stats", headers=admin.headers)).json()
    ada = await create_user(client, admin, "ada@example.com")
    await create_user(client, admin, "grace@example.com")
    await create_user(client, admin, "boss@example.com", role="admin")
    await client.post(f"{USERS}/{ada}/deactivate", headers=admin.headers)

    response = await client.get(f"{USERS}/stats", headers=admin.headers)

    assert response.status_code == 200
    after = response.json()
    assert after["total"] == before["total"] + 3
    assert after["active"] == before["active"] + 2
    assert after["inactive"] == before["inactive"] + 1
    assert after["by_role"]["user"] == before["by_role"]["user"] + 2
    assert after["by_role"]["admin"] == before["by_role"]["admin"] + 1
