"""Signing in and turning tokens back into principals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.infrastructure.auth.accounts import AccountStore
from app.infrastructure.auth.authenticator import Authenticator
from app.infrastructure.auth.principals import PrincipalDirectory
from app.infrastructure.auth.tokens import TokenService
from tests.infrastructure.auth.accounts_table import add_account, remove_account
from tests.support.database import Database
from tests.support.passwords import fast_password_hasher

SECRET = "authenticator-test-secret-of-32-bytes"


def token_service(clock: datetime | None = None) -> TokenService:
    return TokenService(
        SECRET,
        issuer="test",
        lifetime=timedelta(minutes=5),
        clock=lambda: clock or datetime.now(UTC),
    )


@pytest.fixture
def authenticator(database: Database) -> Authenticator:
    accounts = AccountStore(database.read)
    return Authenticator(
        accounts,
        fast_password_hasher(),
        token_service(),
        PrincipalDirectory(accounts, ttl_seconds=0),
    )


async def test_the_right_password_signs_in_and_the_token_names_the_user(
    database: Database, authenticator: Authenticator
) -> None:
    hashed = await fast_password_hasher().hash("correct horse")
    user_id = await add_account(database, "ada@example.com", hashed_password=hashed)

    issued = await authenticator.sign_in("ada@example.com", "correct horse")

    assert issued is not None
    principal = await authenticator.principal_for(issued.access_token)
    assert principal is not None
    assert principal.user_id == str(user_id)


@pytest.mark.parametrize(
    ("email", "password", "active"),
    [
        ("ada@example.com", "wrong horse", True),
        ("nobody@example.com", "correct horse", True),
        ("ada@example.com", "correct horse", False),
    ],
    ids=["wrong password", "unknown email", "inactive"],
)
async def test_every_other_sign_in_gets_nothing(
    database: Database, authenticator: Authenticator, email: str, password: str, active: bool
) -> None:
    hashed = await fast_password_hasher().hash("correct horse")
    await add_account(database, "ada@example.com", hashed_password=hashed, is_active=active)

    assert await authenticator.sign_in(email, password) is None


async def test_a_token_for_a_user_since_deleted_has_no_principal(
    database: Database, authenticator: Authenticator
) -> None:
    user_id = await add_account(database, "ada@example.com")
    token = token_service().issue(subject=str(user_id), role="user").access_token
    await remove_account(database, user_id)

    assert await authenticator.principal_for(token) is None


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        token_service(datetime.now(UTC) - timedelta(hours=1))
        .issue(subject="00000000-0000-0000-0000-000000000000", role="user")
        .access_token,
        token_service().issue(subject="not-a-uuid", role="user").access_token,
    ],
    ids=["malformed", "expired", "subject not a user id"],
)
async def test_bad_tokens_have_no_principal(authenticator: Authenticator, token: str) -> None:
    assert await authenticator.principal_for(token) is None


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_a_remembered_token_still_expires(database: Database) -> None:
    user_id = await add_account(database, "ada@example.com")
    clock = Clock()
    accounts = AccountStore(database.read)
    tokens = TokenService(SECRET, issuer="test", lifetime=timedelta(minutes=5), clock=clock)
    authenticator = Authenticator(
        accounts,
        fast_password_hasher(),
        tokens,
        PrincipalDirectory(accounts, ttl_seconds=0),
        clock=clock,
    )
    token = tokens.issue(subject=str(user_id), role="user").access_token
    assert await authenticator.principal_for(token) is not None

    clock.now += timedelta(minutes=5)

    assert await authenticator.principal_for(token) is None


async def test_an_altered_token_is_checked_afresh_not_remembered(
    database: Database, authenticator: Authenticator
) -> None:
    user_id = await add_account(database, "ada@example.com")
    token = token_service().issue(subject=str(user_id), role="user").access_token
    assert await authenticator.principal_for(token) is not None
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[:-2]}AA"

    assert await authenticator.principal_for(tampered) is None
