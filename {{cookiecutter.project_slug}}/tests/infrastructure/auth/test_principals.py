"""Principals come from the users table, are remembered briefly, and forgotten on change."""

from __future__ import annotations

import asyncio
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.cqrs.events import DomainEvent
from app.domain.users.roles import UserRole, permissions_for
from app.infrastructure.auth.accounts import Account, AccountStore
from app.infrastructure.auth.principals import (
    SYSTEM_PRINCIPAL,
    PrincipalDirectory,
    UserPrincipal,
    permissions_on_any_user,
)
from tests.infrastructure.auth.accounts_table import add_account, change_account, remove_account
from tests.support.database import Database


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def directory(database: Database, clock: Clock) -> PrincipalDirectory:
    return PrincipalDirectory(AccountStore(database.read), ttl_seconds=5, clock=clock)


def test_admins_hold_every_permission_for_all_users() -> None:
    assert permissions_on_any_user(UserRole.ADMIN) == permissions_for(UserRole.ADMIN)
    assert SYSTEM_PRINCIPAL.is_admin


def test_plain_users_hold_no_permission_for_all_users() -> None:
    assert permissions_on_any_user(UserRole.USER) == frozenset()


async def test_an_active_user_has_a_principal_with_their_role(
    database: Database, directory: PrincipalDirectory
) -> None:
    user_id = await add_account(database, "boss@example.com", role=UserRole.ADMIN)

    principal = await directory.principal(user_id)

    assert principal == UserPrincipal(
        user_id=str(user_id),
        role=UserRole.ADMIN,
        permissions=permissions_for(UserRole.ADMIN),
        is_admin=True,
    )


async def test_inactive_and_unknown_users_have_none(
    database: Database, directory: PrincipalDirectory
) -> None:
    user_id = await add_account(database, "gone@example.com", is_active=False)

    assert await directory.principal(user_id) is None
    assert await directory.principal(uuid4()) is None


async def test_a_principal_is_remembered_for_the_ttl_then_looked_up_again(
    database: Database, directory: PrincipalDirectory, clock: Clock
) -> None:
    user_id = await add_account(database, "ada@example.com")
    assert await directory.principal(user_id) is not None
    await remove_account(database, user_id)

    assert await directory.principal(user_id) is not None
    clock.now += 5
    assert await directory.principal(user_id) is None


async def test_an_event_about_a_user_forgets_them_at_once(
    database: Database, directory: PrincipalDirectory
) -> None:
    user_id = await add_account(database, "ada@example.com")
    await directory.principal(user_id)
    await change_account(database, user_id, is_active=False)

    await directory([DomainEvent(aggregate_id=str(user_id)), DomainEvent(aggregate_id="x")])

    assert await directory.principal(user_id) is None


async def test_the_memory_is_bounded(database: Database, clock: Clock) -> None:
    directory = PrincipalDirectory(
        AccountStore(database.read), ttl_seconds=60, max_entries=2, clock=clock
    )
    ids: list[UUID] = [await add_account(database, f"u{n}@example.com") for n in range(3)]
    for user_id in ids:
        await directory.principal(user_id)
    await remove_account(database, ids[0])
    await remove_account(database, ids[2])

    assert await directory.principal(ids[0]) is None  # evicted, so looked up again
    assert await directory.principal(ids[2]) is not None  # still remembered


class GatedAccounts(AccountStore):
    """The real store, counting lookups and holding each until the test opens the gate."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self.lookups = 0
        self.gate = asyncio.Event()

    async def by_id(self, user_id: UUID) -> Account | None:
        self.lookups += 1
        await self.gate.wait()
        return await super().by_id(user_id)


@pytest.fixture
def accounts(database: Database) -> GatedAccounts:
    return GatedAccounts(database.read)


@pytest.fixture
def gated_directory(accounts: GatedAccounts, clock: Clock) -> PrincipalDirectory:
    return PrincipalDirectory(accounts, ttl_seconds=5, clock=clock)


async def test_concurrent_requests_for_a_principal_not_remembered_share_one_lookup(
    database: Database, accounts: GatedAccounts, gated_directory: PrincipalDirectory
) -> None:
    directory = gated_directory
    user_id = await add_account(database, "ada@example.com")

    waiting = [asyncio.ensure_future(directory.principal(user_id)) for _ in range(20)]
    await asyncio.sleep(0)
    accounts.gate.set()
    principals = await asyncio.gather(*waiting)

    assert accounts.lookups == 1
    assert {principal.user_id for principal in principals if principal} == {str(user_id)}


async def test_a_caller_giving_up_does_not_cancel_the_lookup_others_wait_on(
    database: Database, accounts: GatedAccounts, gated_directory: PrincipalDirectory
) -> None:
    directory = gated_directory
    user_id = await add_account(database, "ada@example.com")

    impatient = asyncio.ensure_future(directory.principal(user_id))
    patient = asyncio.ensure_future(directory.principal(user_id))
    await asyncio.sleep(0)
    impatient.cancel()
    accounts.gate.set()

    assert (await patient) is not None
    assert accounts.lookups == 1


async def test_a_user_changed_during_their_lookup_is_looked_up_again(
    database: Database, accounts: GatedAccounts, gated_directory: PrincipalDirectory
) -> None:
    directory = gated_directory
    user_id = await add_account(database, "ada@example.com")

    first = asyncio.ensure_future(directory.principal(user_id))
    await asyncio.sleep(0)
    # The change commits while the lookup is under way: what it read may be stale.
    await change_account(database, user_id, is_active=False)
    await directory([DomainEvent(aggregate_id=str(user_id))])
    accounts.gate.set()
    await first

    assert await directory.principal(user_id) is None
    assert accounts.lookups == 2
