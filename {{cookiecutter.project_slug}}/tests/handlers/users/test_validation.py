"""What the users commands and queries refuse before any handler runs."""

from __future__ import annotations

from uuid import uuid4

import pytest

from app.core.cqrs import NON_FIELD_ERRORS
from app.handlers.users.create_user import CreateUser
from app.handlers.users.find_users import FindUsers
from app.handlers.users.update_user import UpdateUser
from app.handlers.users.validation import NUL_PROBLEM, email_problem, text_problem


@pytest.mark.parametrize("email", ["ada@example.com", "a.b+tag@sub.example.org"])
def test_plausible_emails_pass(email: str) -> None:
    assert email_problem(email) is None


@pytest.mark.parametrize("email", ["", "ada", "ada@", "@example.com", "ada@localhost", "a b@x.io"])
def test_implausible_emails_are_refused(email: str) -> None:
    assert email_problem(email) == "Enter a valid email address"


def test_overlong_emails_are_refused() -> None:
    assert email_problem("a" * 320 + "@example.com") == "At most 320 characters"


def test_text_with_a_nul_character_is_refused() -> None:
    assert email_problem("ada\x00@example.com") == NUL_PROBLEM
    assert text_problem("ada\x00", max_length=10) == NUL_PROBLEM
    assert "email_contains" in FindUsers(email_contains="a\x00").validate()


def test_text_must_be_present_and_short_enough() -> None:
    assert text_problem("   ", max_length=5) == "Must not be blank"
    assert text_problem("abcdef", max_length=5) == "At most 5 characters"
    assert text_problem("abc", max_length=5) is None


def test_a_new_user_names_every_bad_field() -> None:
    command = CreateUser(email="nope", username="", full_name="x" * 201, hashed_password="h")

    assert set(command.validate()) == {"email", "username", "full_name"}


def test_an_update_must_change_something() -> None:
    assert UpdateUser(user_id=uuid4()).validate() == {
        NON_FIELD_ERRORS: "Give at least one field to change"
    }
    assert UpdateUser(user_id=uuid4(), full_name="Ada").validate() == {}


@pytest.mark.parametrize(
    ("page", "page_size", "field"),
    [(0, 20, "page"), (1, 0, "page_size"), (1, 101, "page_size")],
)
def test_paging_outside_its_bounds_is_refused(page: int, page_size: int, field: str) -> None:
    assert field in FindUsers(page=page, page_size=page_size).validate()


def test_distinct_finds_have_distinct_cache_keys() -> None:
    assert FindUsers(page=1).get_cache_key() != FindUsers(page=2).get_cache_key()
