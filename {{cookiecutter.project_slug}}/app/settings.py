"""Configuration, read once from the environment (and `.env`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]

EXAMPLE_SECRET_KEY = "change-me"  # noqa: S105 (the documented placeholder, refused below)
# The first superuser's password in `.env.example`; refused outside development like the key.
EXAMPLE_SUPERUSER_PASSWORD = "change-me"  # noqa: S105


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    app_name: str = "app"
    environment: Environment = "development"
    log_level: str = "INFO"
    # Unset: JSON lines in production, readable lines otherwise.
    log_format: Literal["json", "console"] | None = None

    database_url: str = "sqlite+aiosqlite:///./data/app.db"
    # Query handlers read through this engine; point it at a replica to offload the primary.
    read_database_url: str | None = None
    database_pool_size: int = Field(default=10, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    database_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    database_echo: bool = False

    redis_url: str | None = None
    cache_max_entries: int = Field(default=10_000, ge=1)

    # Signs tokens and cache entries; the example value is refused outside development.
    secret_key: str = EXAMPLE_SECRET_KEY

    # After a successful command the API waits up to this long for the read models (and the
    # query cache) to reflect it, so the caller's next query sees the change. 0: never wait.
    read_your_writes_timeout_seconds: float = Field(default=2.0, ge=0)
    # How long a POST's Idempotency-Key is remembered, and how long a request still running
    # under a key holds it before a retry may take it over.
    idempotency_key_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    idempotency_lease_seconds: int = Field(default=60, ge=1)
    # Larger request bodies are refused with 413 before they are read.
    max_request_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # How long /health/ready waits for each dependency to answer.
    readiness_timeout_seconds: float = Field(default=2.0, gt=0)

    # Authentication (projects generated with auth=jwt; ignored otherwise).
    access_token_expire_minutes: int = Field(default=30, ge=1)
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    # A user's role and active flag are looked up at most this often per process; a deleted or
    # deactivated user's token stops working at once in the process that made the change and
    # within this bound in the others.
    principal_cache_seconds: float = Field(default=5.0, ge=0)
    # Created as an admin at start-up when no user has this email yet.
    first_superuser_email: str | None = None
    first_superuser_password: str | None = None

    @model_validator(mode="after")
    def _refuse_example_secrets_outside_development(self) -> Settings:
        if self.environment == "development":
            return self
        if self.secret_key == EXAMPLE_SECRET_KEY:
            raise ValueError(
                f"SECRET_KEY still has its example value; set a secret of your own "
                f"before running with ENVIRONMENT={self.environment}"
            )
        if self.first_superuser_password == EXAMPLE_SUPERUSER_PASSWORD:
            raise ValueError(
                f"FIRST_SUPERUSER_PASSWORD still has its example value; set a password of your "
                f"own before running with ENVIRONMENT={self.environment}"
            )
        return self

    @model_validator(mode="after")
    def _first_superuser_needs_both_email_and_password(self) -> Settings:
        if (self.first_superuser_email is None) != (self.first_superuser_password is None):
            raise ValueError("set FIRST_SUPERUSER_EMAIL and FIRST_SUPERUSER_PASSWORD together")
        return self

    @property
    def effective_read_database_url(self) -> str:
        return self.read_database_url or self.database_url


@lru_cache
def get_settings() -> Settings:
    return Settings()
