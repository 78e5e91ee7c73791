from __future__ import annotations

from uuid import uuid4

from app.domain.users.roles import UserRole
from app.infrastructure.auth.accounts import Account, AccountStore
from tests.infrastructure.auth.accounts_table import add_account
from tests.support.database import Database


async def test_an_account_is_found_by_id_and_by_email_in_any_case(database: Database) -> None:
    user_id = await add_account(database, "ada@example.com", hashed_password="h", is_active=False)
    store = AccountStore(database.read)

    expected = Account(user_id, "h", UserRole.USER, False)
    assert await store.by_id(user_id) == expected
    assert await store.by_email("  ADA@example.com ") == expected


async def test_unknown_accounts_are_none(database: Database) -> None:
    store = AccountStore(database.read)

    assert await store.by_id(uuid4()) is None
    assert await store.by_email("nobody@example.com") is None
