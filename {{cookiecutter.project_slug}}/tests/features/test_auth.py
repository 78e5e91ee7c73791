from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy import func, select

from app.container import Container
from app.features.auth import token_service
from app.infrastructure.users.tables import users
from app.settings import Settings


def test_tokens_follow_the_settings() -> None:
    configured = Settings(
        _env_file=None,
        app_name="svc",
        secret_key="k" * 64,
        access_token_expire_minutes=7,
        jwt_algorithm="HS512",
    )
    tokens = token_service(configured)

    issued = tokens.issue(subject="someone", role="user")

    assert issued.expires_in == 7 * 60
    claims = tokens.verify(issued.access_token)
    assert 0 < (claims.expires_at - datetime.now(UTC)).total_seconds() <= 7 * 60
    assert issued.access_token.split(".")[0] == "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9"


async def test_without_first_superuser_settings_start_up_creates_no_one(
    app: FastAPI, container: Container
) -> None:
    async with container.read_engine().connect() as connection:
        count = (await connection.execute(select(func.count()).select_from(users))).scalar()

    assert count == 0


def test_every_commit_also_refreshes_what_is_known_about_principals(
    container: Container,
) -> None:
    assert container.principal_directory() in container.after_commit_hooks()
