from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.settings import EXAMPLE_SECRET_KEY, EXAMPLE_SUPERUSER_PASSWORD, Settings


def test_development_runs_on_the_embedded_defaults() -> None:
    settings = Settings(_env_file=None, environment="development")

    assert settings.database_url.startswith("sqlite+aiosqlite://")
    assert settings.redis_url is None
    assert settings.effective_read_database_url == settings.database_url


@pytest.mark.parametrize("environment", ["test", "production"])
def test_the_example_secret_is_refused_outside_development(environment: str) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY still has its example value"):
        Settings(_env_file=None, environment=environment, secret_key=EXAMPLE_SECRET_KEY)


def test_a_read_replica_url_is_used_for_reads_when_given() -> None:
    settings = Settings(
        _env_file=None,
        database_url="postgresql+asyncpg://db/primary",
        read_database_url="postgresql+asyncpg://db/replica",
    )

    assert settings.effective_read_database_url == "postgresql+asyncpg://db/replica"


@pytest.mark.parametrize("environment", ["test", "production"])
def test_the_example_superuser_password_is_refused_outside_development(environment: str) -> None:
    with pytest.raises(ValidationError, match="FIRST_SUPERUSER_PASSWORD still has its example"):
        Settings(
            _env_file=None,
            environment=environment,
            secret_key="a-real-secret-of-enough-length",
            first_superuser_email="admin@example.com",
            first_superuser_password=EXAMPLE_SUPERUSER_PASSWORD,
        )


def test_the_example_superuser_password_is_accepted_in_development() -> None:
    settings = Settings(
        _env_file=None,
        environment="development",
        first_superuser_email="admin@example.com",
        first_superuser_password=EXAMPLE_SUPERUSER_PASSWORD,
    )

    assert settings.first_superuser_password == EXAMPLE_SUPERUSER_PASSWORD


def test_a_first_superuser_needs_both_an_email_and_a_password() -> None:
    with pytest.raises(ValidationError, match="FIRST_SUPERUSER_EMAIL and FIRST_SUPERUSER_PASSWORD"):
        Settings(_env_file=None, first_superuser_email="admin@example.com")
