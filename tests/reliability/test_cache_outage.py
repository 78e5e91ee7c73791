"""Redis dies and comes back under a steady stream of queries: no query fails."""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.reliability.served import (
    ServedApp,
    bearer,
    create_database,
    create_user,
    drop_database,
    unique_name,
)
from tests.reliability.servers import OwnRedis
from tests.rendering import RenderedProject

STREAMS = 8
# The outage, in seconds from the start of the stream: Redis is killed, then started again.
KILLED_AT, RESTARTED_AT, STREAM_ENDS_AT = 1.5, 4.0, 7.0


@pytest.fixture(scope="module")
def redis_server() -> Iterator[OwnRedis]:
    with tempfile.TemporaryDirectory(prefix="reliability-redis-") as directory:
        server = OwnRedis(Path(directory))
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="module")
def app_on_redis(
    project: RenderedProject, postgres_server_url: str, redis_server: OwnRedis
) -> Iterator[ServedApp]:
    url = create_database(postgres_server_url, unique_name("reliability"))
    app = ServedApp(project, url, REDIS_URL=redis_server.url)
    try:
        app.migrate()
        app.start()
        yield app
    finally:
        app.stop()
        drop_database(url)


async def query_steadily(base_url: str, token: str, paths: list[str], until: float) -> list[int]:
    statuses: list[int] = []
    async with httpx.AsyncClient(base_url=base_url, headers=bearer(token), timeout=30) as client:

        async def stream(offset: int) -> None:
            n = offset
            while time.monotonic() < until:
                statuses.append((await client.get(paths[n % len(paths)])).status_code)
                n += 1

        await asyncio.gather(*(stream(offset) for offset in range(STREAMS)))
    return statuses


def test_queries_keep_succeeding_while_redis_is_killed_and_restarted(
    app_on_redis: ServedApp, redis_server: OwnRedis
) -> None:
    app = app_on_redis
    token = app.token()
    ids = [create_user(app, token, f"reader{n}") for n in range(4)]
    paths = [f"/api/v1/users/{user_id}" for user_id in ids] + ["/api/v1/users?page_size=5"]
    start = time.monotonic()

    def outage() -> None:
        time.sleep(KILLED_AT)
        redis_server.stop()
        time.sleep(RESTARTED_AT - KILLED_AT)
        redis_server.start()

    breaker = threading.Thread(target=outage)
    breaker.start()
    try:
        statuses = asyncio.run(query_steadily(app.base_url, token, paths, start + STREAM_ENDS_AT))
    finally:
        breaker.join()

    failed = [status for status in statuses if status != 200]
    assert len(statuses) > 100, "too few queries to say anything about the outage"
    assert failed == []
    # And writes still invalidate what the restarted Redis caches: the change is visible.
    renamed = httpx.patch(
        f"{app.base_url}{paths[0]}",
        json={"full_name": "Renamed"},
        headers=bearer(token),
        timeout=30,
    )
    assert renamed.status_code == 200, renamed.text
    reread = httpx.get(f"{app.base_url}{paths[0]}", headers=bearer(token), timeout=30)
    assert reread.json()["full_name"] == "Renamed"
