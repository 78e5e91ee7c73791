from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from uuid import UUID

from app.domain.users.events import UserCreated, UserDeactivated, UserDeleted, UserUpdated
from app.domain.users.roles import UserRole
from app.domain.users.user import User, normalize_email

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def registered() -> User:
    user, _ = User.register(
        email="Ada@Example.com ",
        username="ada",
        full_name="Ada Lovelace",
        hashed_password="hash-1",
        now=T0,
    )
    return user


def test_registering_creates_an_active_first_version_with_a_normalized_email():
    user_id = UUID(int=7)
    user, event = User.register(
        email=" Ada@Example.COM",
        username="ada",
        full_name="Ada Lovelace",
        hashed_password="hash-1",
        role=UserRole.ADMIN,
        user_id=user_id,
        now=T0,
    )

    assert (user.id, user.email, user.is_active, user.version) == (
        user_id,
        "ada@example.com",
        True,
        1,
    )
    assert user.created_at == user.updated_at == T0
    assert event == UserCreated(
        aggregate_id=str(user_id),
        occurred_at=T0,
        aggregate_version=1,
        email="ada@example.com",
        username="ada",
        full_name="Ada Lovelace",
        role=UserRole.ADMIN,
        is_active=True,
    )


def test_a_new_user_is_a_plain_user_by_default():
    assert registered().role is UserRole.USER


def test_updating_changes_the_given_fields_and_bumps_the_version_once():
    user = registered()
    later = T0 + timedelta(minutes=5)

    event = user.update(full_name="Augusta Ada King", role=UserRole.ADMIN, now=later)

    assert (user.full_name, user.role, user.version, user.updated_at) == (
        "Augusta Ada King",
        UserRole.ADMIN,
        2,
        later,
    )
    assert event is not None
    assert event.changed_fields == ("full_name", "role")
    assert (event.aggregate_version, event.full_name, event.email) == (
        2,
        "Augusta Ada King",
        "ada@example.com",
    )


def test_an_update_that_changes_nothing_is_no_event_and_no_new_version():
    user = registered()
    assert user.update(email="ADA@example.com", full_name="Ada Lovelace") is None
    assert user.version == 1


def test_a_password_change_is_announced_without_the_hash():
    user = registered()
    event = user.update(hashed_password="hash-2")

    assert user.hashed_password == "hash-2"
    assert isinstance(event, UserUpdated)
    assert event.changed_fields == ("password",)
    assert "hash-2" not in str(asdict(event))


def test_deactivating_happens_once():
    user = registered()
    event = user.deactivate(now=T0)

    assert isinstance(event, UserDeactivated)
    assert (user.is_active, user.version, event.aggregate_version) == (False, 2, 2)
    assert user.deactivate() is None
    assert user.version == 2


def test_deleting_is_the_last_version():
    user = registered()
    event = user.delete(now=T0)
    assert event == UserDeleted(aggregate_id=str(user.id), occurred_at=T0, aggregate_version=2)


def test_emails_compare_case_insensitively():
    assert normalize_email("  Grace.Hopper@Navy.MIL ") == "grace.hopper@navy.mil"
