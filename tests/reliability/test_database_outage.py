"""The database goes away and comes back: 503s while it is gone, no half-writes, no restart.

Commands, queries and readiness all answer 503 during the outage.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from tests.reliability.served import ServedApp, bearer, create_database, create_user
from tests.reliability.servers import OwnPostgres
from tests.rendering import RenderedProject

POOL_TIMEOUT_SECONDS = 2
# Generous bounds on waiting, never latency assertions: a hang fails, slowness does not.
CLIENT_TIMEOUT_SECONDS = 30
RECOVERY_DEADLINE_SECONDS = 60


@pytest.fixture(scope="module")
def cluster() -> Iterator[OwnPostgres]:
    server = OwnPostgres()
    try:
        server.initialise()
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="module")
def app_on_cluster(project: RenderedProject, cluster: OwnPostgres) -> Iterator[ServedApp]:
    app = ServedApp(
        project, create_database(cluster.url, "outage"),
        DATABASE_POOL_TIMEOUT_SECONDS=str(POOL_TIMEOUT_SECONDS),
        READINESS_TIMEOUT_SECONDS="1",
    )  # fmt: skip
    app.migrate()
    app.start()
    try:
        yield app
    finally:
        app.stop()


def consistent_state(database_url: str, user_id: str) -> tuple[object, ...]:
    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            """
            SELECT u.full_name, u.version, v.full_name, v.version,
                   (SELECT count(*) FROM event_log WHERE aggregate_id = %(id)s::text)
            FROM users u JOIN user_view v USING (id) WHERE u.id = %(id)s::uuid
            """,
            {"id": user_id},
        ).fetchone()
    assert row is not None
    return tuple(row)


def test_commands_fail_fast_with_503_while_the_database_is_down_and_succeed_after(
    app_on_cluster: ServedApp, cluster: OwnPostgres
) -> None:
    app = app_on_cluster
    token = app.token()
    user_id = create_user(app, token, "resilient")
    url = f"{app.base_url}/api/v1/users/{user_id}"
    with httpx.Client(headers=bearer(token), timeout=CLIENT_TIMEOUT_SECONDS) as client:
        assert client.patch(url, json={"full_name": "Before"}).status_code == 200

        cluster.stop()
        try:
            during = client.patch(url, json={"full_name": "During"})
            assert during.status_code == 503, during.text
            assert during.headers["content-type"].startswith("application/problem+json")
            assert "Traceback" not in during.text
            assert "asyncpg" not in during.text
            creating = client.post(f"{app.base_url}/api/v1/users", json={
                "email": "ghost@example.com", "username": "ghost", "full_name": "Ghost",
                "password": "ghost-password-1",
            })  # fmt: skip
            assert creating.status_code == 503, creating.text
            # An id never asked for misses the query cache: the read reaches the database.
            reading = client.get(f"{app.base_url}/api/v1/users/{uuid.uuid4()}")
            assert reading.status_code == 503, reading.text
            assert "asyncpg" not in reading.text
            ready = client.get(f"{app.base_url}/health/ready")
            assert ready.status_code == 503, ready.text
            assert "database" in ready.text
        finally:
            cluster.start()

        deadline = time.monotonic() + RECOVERY_DEADLINE_SECONDS
        while client.get(f"{app.base_url}/health/ready").status_code != 200:
            assert time.monotonic() < deadline, "the app did not recover without a restart"
            time.sleep(0.5)
        after = client.patch(url, json={"full_name": "After"})
        assert after.status_code == 200, after.text
        assert client.get(url).json()["full_name"] == "After"

    # "During" never landed anywhere, and every store agrees: Created + Before + After.
    assert consistent_state(app.database_url, user_id) == ("After", 3, "After", 3, 3)
    with psycopg.connect(app.database_url) as connection:
        ghosts = connection.execute(
            "SELECT count(*) FROM users WHERE username = 'ghost'"
        ).fetchone()
    assert ghosts == (0,)
