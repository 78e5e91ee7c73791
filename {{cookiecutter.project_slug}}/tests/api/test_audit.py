from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Header

from app.api.audit import build_audit_router
from app.api.problems import ProblemError, install_problem_handlers
from app.infrastructure.audit.reader import AuditTrailReader
from tests.infrastructure.accounts import create_account_tables
from tests.infrastructure.audit.audit_doubles import OpenAccount, Ping, audited_bus
from tests.support.database import Database, database, migrated_database_url

__all__ = ["database", "migrated_database_url"]


def require_admin(x_role: str | None = Header(default=None)) -> None:
    """Stands in for the real auth dependency: the role comes from a header here."""
    if x_role is None:
        raise ProblemError(401, headers={"WWW-Authenticate": "Bearer"})
    if x_role != "admin":
        raise ProblemError(403)


@pytest.fixture
async def client(database: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_problem_handlers(app)
    reader = AuditTrailReader(database.read)
    app.include_router(build_audit_router(reader=lambda: reader, require_admin=require_admin))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={"X-Role": "admin"}
    ) as http:
        yield http


async def record(database: Database, *users: str) -> None:
    bus = audited_bus(database.write)
    for number, user_id in enumerate(users):
        command = Ping(f"ping {number}")
        command.metadata.user_id = user_id
        await bus.execute_command(command)


async def test_an_admin_reads_the_trail_newest_first_with_pagination(client, database):
    await record(database, "u1", "u2", "u3")

    response = await client.get("/api/v1/audit", params={"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert [item["payload"]["message"] for item in body["items"]] == ["ping 2", "ping 1"]
    assert body["pagination"] == {
        "page": 1,
        "page_size": 2,
        "total_count": 3,
        "total_pages": 2,
        "has_next": True,
        "has_previous": False,
    }
    first = body["items"][0]
    assert (first["command_name"], first["user_id"], first["status"]) == ("Ping", "u3", "success")


async def test_the_trail_filters_by_user_and_by_command(client, database):
    await record(database, "u1", "u2", "u1")
    await create_account_tables(database.write)
    command = OpenAccount("a1", "Ada", then="crash")
    command.metadata.user_id = "u2"
    await audited_bus(database.write).execute_command(command)

    by_user = (await client.get("/api/v1/audit", params={"user_id": "u1"})).json()
    by_command = (await client.get("/api/v1/audit", params={"command_name": "OpenAccount"})).json()

    assert [item["user_id"] for item in by_user["items"]] == ["u1", "u1"]
    assert [(i["status"], i["errors"], i["payload"]["password"]) for i in by_command["items"]] == [
        ("failed", {"exception": "RuntimeError"}, "[REDACTED]")
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"page": 0},
        {"page_size": 101},
        {"page_size": 0},
        {"page": 10**25},
        {"command_name": "a\x00b"},
        {"user_id": "a\x00b"},
    ],
)
async def test_out_of_range_paging_is_a_validation_problem(client, params):
    response = await client.get("/api/v1/audit", params=params)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("user", 403)])
async def test_anyone_but_an_admin_is_refused(client, role, status):
    headers = {"X-Role": role} if role else {}
    client.headers.pop("X-Role")

    response = await client.get("/api/v1/audit", headers=headers)

    assert response.status_code == status
