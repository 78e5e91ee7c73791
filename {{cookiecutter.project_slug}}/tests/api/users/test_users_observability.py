"""A users command through the real app is counted, audited (secrets redacted) and traced by id."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from tests.api.users.actors import PASSWORD, USERS, Actor, new_user


def command_count(text: str, name: str, status: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "cqrs_command_total"
        and sample.labels.get("name") == name
        and sample.labels.get("status") == status
    )


async def test_a_created_user_moves_the_command_counter(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    before = command_count((await client.get("/metrics")).text, "CreateUser", "success")

    response = await client.post(USERS, json=new_user("metrics@example.com"), headers=admin.headers)
    assert response.status_code == 201, response.text

    after = command_count((await client.get("/metrics")).text, "CreateUser", "success")
    assert after - before == 1


async def test_successful_and_failed_commands_are_audited_without_the_password(
    app: FastAPI, client: httpx.AsyncClient, admin: Actor
) -> None:
    created = await client.post(
        USERS,
        json=new_user("audited@example.com"),
        headers={**admin.headers, "X-Request-ID": "audit-req-1"},
    )
    duplicate = await client.post(
        USERS, json=new_user("audited@example.com"), headers=admin.headers
    )
    assert (created.status_code, duplicate.status_code) == (201, 409)

    # The admin's own commands: start-up's creation of that admin is audited too, as "system".
    trail = await app.state.container.audit_reader().page(
        command_name="CreateUser", user_id=admin.user_id
    )

    statuses = sorted(record.status for record in trail.items)
    assert statuses == ["conflict", "success"]
    success = next(record for record in trail.items if record.status == "success")
    assert success.correlation_id == "audit-req-1"
    assert success.user_id == admin.user_id
    payloads = str([record.payload for record in trail.items])
    assert PASSWORD not in payloads
    assert "$argon2" not in payloads  # not even the hash


async def test_admins_read_the_audit_trail_over_http_and_others_may_not(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    await client.post(USERS, json=new_user("trail@example.com"), headers=admin.headers)

    response = await client.get(
        "/api/v1/audit", params={"command_name": "CreateUser"}, headers=admin.headers
    )

    if not admin.headers:  # auth=none renders have no audit route
        assert response.status_code == 404
        return
    assert response.status_code == 200, response.text
    assert response.json()["pagination"]["total_count"] >= 1
    assert (await client.get("/api/v1/audit")).status_code == 401
