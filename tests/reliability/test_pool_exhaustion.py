"""Far more concurrent requests than database connections: wait, then 503, never a deadlock.

A row lock taken from outside holds every PATCH of one user on its pool connection, so the
pool (2 connections, no overflow, 1 s timeout) is certainly exhausted while 256 requests arrive.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest

from tests.reliability.concurrency import Call, send_all
from tests.reliability.served import (
    ServedApp,
    create_database,
    create_user,
    drop_database,
    unique_name,
)
from tests.rendering import RenderedProject

CONCURRENT = 256
POOL_TIMEOUT_SECONDS = 1
LOCK_HELD_SECONDS = 4


@pytest.fixture(scope="module")
def small_pool_app(project: RenderedProject, postgres_server_url: str) -> Iterator[ServedApp]:
    url = create_database(postgres_server_url, unique_name("reliability"))
    app = ServedApp(
        project, url,
        DATABASE_POOL_SIZE="2",
        DATABASE_MAX_OVERFLOW="0",
        DATABASE_POOL_TIMEOUT_SECONDS=str(POOL_TIMEOUT_SECONDS),
    )  # fmt: skip
    try:
        app.migrate()
        app.start()
        yield app
    finally:
        app.stop()
        drop_database(url)


def hold_row_lock(database_url: str, user_id: str, locked: threading.Event, seconds: float) -> None:
    with psycopg.connect(database_url) as connection, connection.transaction():
        connection.execute("SELECT 1 FROM users WHERE id = %s FOR UPDATE", (user_id,))
        locked.set()
        threading.Event().wait(seconds)


def test_an_exhausted_pool_answers_503_after_its_timeout_and_then_serves_again(
    small_pool_app: ServedApp,
) -> None:
    app = small_pool_app
    token = app.token()
    user_id = create_user(app, token, "popular")
    path = f"/api/v1/users/{user_id}"
    locked = threading.Event()
    holder = threading.Thread(
        target=hold_row_lock, args=(app.database_url, user_id, locked, LOCK_HELD_SECONDS)
    )
    holder.start()
    try:
        assert locked.wait(10)
        calls = [Call("PATCH", path, {"full_name": f"Caller {n}"}) for n in range(CONCURRENT)]
        # Every answer must come long before this: a deadlock would hit it and fail the test.
        answers = send_all(app.base_url, token, calls, limit=CONCURRENT, timeout=60)
    finally:
        holder.join()

    statuses = [answer.status for answer in answers]
    assert set(statuses) <= {200, 409, 503}, sorted(set(statuses))
    assert 503 in statuses, "the pool was never exhausted: the test proves nothing"
    for answer in answers:
        if answer.status == 503:
            assert answer.content_type.startswith("application/problem+json")
            assert answer.body["status"] == 503
    after = send_all(
        app.base_url, token, [Call("PATCH", path, {"full_name": "Afterwards"})], limit=1
    )
    assert after[0].status == 200, after[0].body
    ready = send_all(app.base_url, token, [Call("GET", "/health/ready")], limit=1)
    assert ready[0].status == 200
