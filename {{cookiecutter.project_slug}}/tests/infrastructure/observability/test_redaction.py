from __future__ import annotations

import pytest

from app.infrastructure.observability.redaction import (
    REDACTED,
    is_sensitive_key,
    redact,
    redact_text,
)


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "new_password",
        "hashed_password",
        "PASSWORD",
        "passwd",
        "client_secret",
        "access_token",
        "refreshToken",
        "X-Api-Key",
        "api_key",
        "Authorization",
        "aws_credentials",
        "private_key",
        "Set-Cookie",
    ],
)
def test_keys_naming_secrets_are_sensitive(key):
    assert is_sensitive_key(key)


@pytest.mark.parametrize("key", ["email", "full_name", "user_id", "role", "page_size", "status"])
def test_ordinary_keys_are_not_sensitive(key):
    assert not is_sensitive_key(key)


def test_redact_hides_sensitive_values_at_any_depth_and_keeps_the_rest():
    data = {
        "email": "ada@example.com",
        "password": "hunter2",
        "profile": {"name": "Ada", "api_key": "k-123"},
        "sessions": [{"token": "t-1", "device": "phone"}],
    }

    assert redact(data) == {
        "email": "ada@example.com",
        "password": REDACTED,
        "profile": {"name": "Ada", "api_key": REDACTED},
        "sessions": [{"token": REDACTED, "device": "phone"}],
    }
    assert data["password"] == "hunter2", "the original is left alone"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("connecting with password=hunter2 to db", "hunter2"),
        ('body {"email": "a@b.c", "password": "correct horse"}', "correct horse"),
        ("kwargs {'api_key': 'abc123', 'page': 2}", "abc123"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "eyJhbGciOiJIUzI1NiJ9"),
        ("sent bearer abcdefghijklmnop upstream", "abcdefghijklmnop"),
        ("dsn postgresql+asyncpg://app:s3cr3t@db:5432/app failed", "s3cr3t"),
        ("GET /cb?client_secret=xyz789&state=1", "xyz789"),
    ],
)
def test_redact_text_hides_secrets_written_into_messages(text, secret):
    redacted = redact_text(text)
    assert secret not in redacted
    assert REDACTED in redacted


def test_redact_text_leaves_prose_about_secrets_alone():
    text = "the password is wrong for user ada@example.com (attempt 3)"
    assert redact_text(text) == text
