"""GET /health/ready: 200 when every dependency answers, 503 naming the ones that do not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from dependency_injector import providers

from app.container import Container
from app.infrastructure.db.engines import create_write_engine
from app.infrastructure.health.probes import CacheProbe, DatabaseProbe, Probe
from app.settings import Settings


@dataclass
class RedisThatIsDown:
    async def ping(self) -> bool:
        return False


async def test_ready_when_the_database_answers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok"}}


@pytest.fixture
async def broken_dependencies(container: Container, settings: Settings) -> AsyncIterator[Container]:
    # Port 9 (discard) on the loopback: nothing listens there, so connecting fails at once.
    nowhere = create_write_engine(settings, url="postgresql+asyncpg://nobody@127.0.0.1:9/nothing")
    probes: list[Probe] = [
        DatabaseProbe("database", container.write_engine()),
        DatabaseProbe("read_database", nowhere),
        CacheProbe(RedisThatIsDown()),
    ]
    container.readiness_probes.override(providers.Object(probes))
    yield container
    await nowhere.dispose()


async def test_not_ready_names_each_dependency_that_failed(
    broken_dependencies: Container, client: httpx.AsyncClient
) -> None:
    response = await client.get("/health/ready")

    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"] == {"read_database": "unreachable", "cache": "unreachable"}
    assert problem["detail"] == "Not ready: cache, read_database did not answer"
    assert "127.0.0.1" not in response.text
