"""Access to the real servers some tests need.

`TEST_DATABASE_URL` (PostgreSQL) and `TEST_REDIS_URL` name them. Without them those tests skip
with the reason; with `REQUIRE_TEST_SERVICES=1` (as in CI) a missing server fails instead, so a
green run can never hide tests that did not run.
"""

from __future__ import annotations

import os
import uuid
from typing import NoReturn

import pytest


def services_required() -> bool:
    return os.environ.get("REQUIRE_TEST_SERVICES") == "1"


def unavailable(reason: str) -> NoReturn:
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_TEST_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def postgres_server_url() -> str:
    """The asyncpg URL of the PostgreSQL server to test against, or skip/fail."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        unavailable("TEST_DATABASE_URL is not set: PostgreSQL tests need a server")
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


def redis_server_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        unavailable("TEST_REDIS_URL is not set: Redis tests need a server")
    return url


def unique_name(prefix: str) -> str:
    """A name no other test run uses: for databases, schemas and key prefixes."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"
