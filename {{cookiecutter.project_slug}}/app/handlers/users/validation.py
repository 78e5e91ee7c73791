"""Field rules shared by the user commands, for callers that do not come through the API.

PostgreSQL stores no NUL character in text, so text containing one is refused here rather than
failing in the database.
"""

from __future__ import annotations

MAX_EMAIL_LENGTH = 320
MAX_USERNAME_LENGTH = 100
MAX_FULL_NAME_LENGTH = 200


NUL_PROBLEM = "Must not contain the NUL character"


def email_problem(email: str) -> str | None:
    if "\x00" in email:
        return NUL_PROBLEM
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or "." not in domain or " " in email.strip():
        return "Enter a valid email address"
    if len(email) > MAX_EMAIL_LENGTH:
        return f"At most {MAX_EMAIL_LENGTH} characters"
    return None


def text_problem(value: str, *, max_length: int) -> str | None:
    if "\x00" in value:
        return NUL_PROBLEM
    if not value.strip():
        return "Must not be blank"
    if len(value) > max_length:
        return f"At most {max_length} characters"
    return None
