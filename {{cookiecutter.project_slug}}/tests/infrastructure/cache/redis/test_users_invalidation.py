"""The users cache-invalidation specification, run with the Redis query cache."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from app.settings import Settings
from tests.api.users.actors import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.api.users.conftest import admin  # noqa: F401 - fixture
from tests.api.users.test_users_cache_invalidation import (  # noqa: F401 - the tests
    test_creating_a_user_refreshes_the_cached_list_and_stats,
    test_deactivating_a_user_refreshes_the_cached_user_and_stats,
    test_deleting_a_user_refreshes_the_cached_user_list_and_stats,
    test_updating_a_user_refreshes_the_cached_user_and_list,
)


@pytest.fixture
def settings(
    settings: Settings, redis_url: str, service_name: str, redis_client: Redis
) -> Settings:
    # redis_client deletes every key under the service's prefix afterwards.
    return settings.model_copy(
        update={
            "redis_url": redis_url,
            "app_name": service_name,
            "first_superuser_email": ADMIN_EMAIL,
            "first_superuser_password": ADMIN_PASSWORD,
        }
    )
