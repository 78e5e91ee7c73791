from __future__ import annotations

import pytest

from app.scaffold.errors import ScaffoldError
from app.scaffold.naming import MAX_NAME_LENGTH, feature_name, message_name, snake_case


@pytest.mark.parametrize(
    ("camel", "snake"),
    [
        ("ArchiveUser", "archive_user"),
        ("GetArchivedUsers", "get_archived_users"),
        ("GetHTTPStatus", "get_http_status"),
        ("Sync2Accounts", "sync2_accounts"),
        ("Ping", "ping"),
    ],
)
def test_camel_case_becomes_snake_case_word_by_word(camel: str, snake: str) -> None:
    assert snake_case(camel) == snake


def test_a_name_gives_its_module_route_and_class_names() -> None:
    name = message_name("ArchiveUser")

    assert (name.snake, name.kebab, name.summary) == (
        "archive_user",
        "archive-user",
        "Archive user",
    )
    assert name.class_names == (
        "ArchiveUser",
        "ArchiveUserHandler",
        "ArchiveUserRequest",
        "ArchiveUserResponse",
    )


@pytest.mark.parametrize(
    "text", ["not-valid", "archiveUser", "Archive_User", "Archive User", "2Archive", "", "Ärchive"]
)
def test_what_is_not_camel_case_is_refused(text: str) -> None:
    with pytest.raises(ScaffoldError, match="not a CamelCase name"):
        message_name(text)


def test_an_overlong_name_is_refused() -> None:
    with pytest.raises(ScaffoldError, match="longer than"):
        message_name("A" + "b" * MAX_NAME_LENGTH)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("None", "is a Python keyword"),
        ("Import", "a module named 'import'"),
        ("Exception", "built-in"),
    ],
)
def test_names_python_itself_uses_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ScaffoldError, match=reason):
        message_name(text)


@pytest.mark.parametrize("text", ["users", "billing_v2", "general"])
def test_snake_case_features_are_accepted(text: str) -> None:
    assert feature_name(text) == text


@pytest.mark.parametrize("text", ["Users", "my-feature", "_private", "class", "a" * 21])
def test_other_features_are_refused(text: str) -> None:
    with pytest.raises(ScaffoldError, match="feature"):
        feature_name(text)
