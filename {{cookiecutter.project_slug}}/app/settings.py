"""Configuration, read once from the environment (and `.env`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]

EXAMPLE_SECRET_KEY = "change-me"  # noqa: S105 (the documented placeholder, refused below)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    app_name: str = "app"
    environment: Environment = "development"
    log_level: str = "INFO"

    database_url: str = "sqlite+aiosqlite:///./data/app.db"
    # Query handlers read through this engine; point it at a replica to offload the primary.
    read_database_url: str | None = None
    database_pool_size: int = Field(default=10, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    database_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    database_echo: bool = False

    redis_url: str | None = None
    cache_default_ttl_seconds: int = Field(default=300, ge=1)
    cache_max_entries: int = Field(default=10_000, ge=1)

    # Signs tokens and cache entries; the example value is refused outside development.
    secret_key: str = EXAMPLE_SECRET_KEY

    @model_validator(mode="after")
    def _refuse_example_secrets_outside_development(self) -> Settings:
        if self.environment != "development" and self.secret_key == EXAMPLE_SECRET_KEY:
            raise ValueError(
                f"SECRET_KEY still has its example value; set a secret of your own "
                f"before running with ENVIRONMENT={self.environment}"
            )
        return self

    @property
    def effective_read_database_url(self) -> str:
        return self.read_database_url or self.database_url


@lru_cache
def get_settings() -> Settings:
    return Settings()
