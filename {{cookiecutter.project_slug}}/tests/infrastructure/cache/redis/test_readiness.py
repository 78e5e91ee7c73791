"""With REDIS_URL set, /health/ready asks Redis too."""

from __future__ import annotations

import httpx
import pytest
from redis.asyncio import Redis

from app.settings import Settings


@pytest.fixture
def settings(
    settings: Settings, redis_url: str, service_name: str, redis_client: Redis
) -> Settings:
    # redis_client deletes every key under the service's prefix afterwards.
    return settings.model_copy(update={"redis_url": redis_url, "app_name": service_name})


async def test_ready_reports_the_redis_cache_it_checked(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/ready")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}
