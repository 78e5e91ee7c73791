"""Keeping secrets out of logs and the audit trail.

Two tools: `redact` replaces the values of sensitive keys in structured data (a command's
payload, a log record's extra fields); `redact_text` finds `key=value`, `"key": "value"`,
`Bearer <token>` and `scheme://user:password@host` shapes in free text (log messages,
tracebacks). A key is sensitive when its name contains one of `SENSITIVE_KEY_PARTS`, ignoring
case, `_` and `-`: `password`, `new_password`, `X-Api-Key`, `accessToken` all are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[REDACTED]"

SENSITIVE_KEY_PARTS: tuple[str, ...] = (
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "token",
    "apikey",
    "authorization",
    "credential",
    "privatekey",
    "cookie",
)

_SEPARATORS = str.maketrans("", "", "_- ")


def is_sensitive_key(key: object) -> bool:
    normalized = str(key).lower().translate(_SEPARATORS)
    return any(part in normalized for part in SENSITIVE_KEY_PARTS)


def redact(value: Any) -> Any:
    """A copy of `value` (mappings, lists and tuples, nested) with sensitive keys' values hidden."""
    if isinstance(value, Mapping):
        return {
            key: REDACTED if is_sensitive_key(key) else redact(item) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(item) for item in value]
    return value


# The same parts, spelled as they appear in text, where separators inside a key are kept.
_TEXT_KEY_PARTS = "|".join(
    (
        "password",
        "passwd",
        "passphrase",
        "pwd",
        "secret",
        "token",
        "api[_-]?key",
        "authorization",
        "credential",
        "private[_-]?key",
        "cookie",
    )
)
_KEY = rf"[\w.-]*(?:{_TEXT_KEY_PARTS})[\w.-]*"
_SEPARATOR = r"[\"']?\s*[:=]\s*"
_QUOTED_VALUE = r"(?P<quote>[\"'])(?P<quoted>.*?)(?P=quote)"
_BARE_VALUE = r"(?:(?:bearer|basic)\s+)?[^\s\"',;&}\]]+"

_KEY_VALUE = re.compile(
    rf"(?P<key>{_KEY})(?P<sep>{_SEPARATOR})(?:{_QUOTED_VALUE}|(?P<bare>{_BARE_VALUE}))",
    re.IGNORECASE,
)
_AUTH_SCHEME = re.compile(r"\b(?P<scheme>bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
_URL_CREDENTIALS = re.compile(
    r"(?P<prefix>\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+@", re.IGNORECASE
)


def _hide_value(match: re.Match[str]) -> str:
    quote = match.group("quote")
    if quote is not None:
        return f"{match.group('key')}{match.group('sep')}{quote}{REDACTED}{quote}"
    return f"{match.group('key')}{match.group('sep')}{REDACTED}"


def redact_text(text: str) -> str:
    """`text` with the secrets it visibly contains replaced by `[REDACTED]`."""
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group('prefix')}{REDACTED}@", text)
    text = _KEY_VALUE.sub(_hide_value, text)
    return _AUTH_SCHEME.sub(lambda m: f"{m.group('scheme')} {REDACTED}", text)
