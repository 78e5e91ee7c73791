"""The users API tests' app has a first superuser; `admin` acts as them."""

from __future__ import annotations

import httpx
import pytest

from app.settings import Settings
from tests.api.users.actors import ADMIN_EMAIL, ADMIN_PASSWORD, Actor, sign_in


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"first_superuser_email": ADMIN_EMAIL, "first_superuser_password": ADMIN_PASSWORD}
    )


@pytest.fixture
async def admin(client: httpx.AsyncClient) -> Actor:
    return await sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
