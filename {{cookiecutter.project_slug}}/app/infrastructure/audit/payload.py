"""A command's fields as JSON-friendly data for the audit trail, with secrets redacted.

Dataclass fields (or public attributes) are taken one level at a time: nested dataclasses,
pydantic models, mappings and sequences are followed; UUIDs, dates, decimals and enums become
strings; bytes are summarised by their length; anything else by its `repr`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from app.core.cqrs import Message
from app.infrastructure.observability.redaction import REDACTED, is_sensitive_key

_MAX_DEPTH = 8  # deeper structures are summarised, so a cyclic object cannot recurse forever


def audit_payload(command: Message) -> dict[str, Any]:
    return _mapping(_public_fields(command), 1)


def _mapping(value: Mapping[Any, Any], depth: int) -> dict[str, Any]:
    return {
        str(key): REDACTED if is_sensitive_key(key) else _plain(item, depth)
        for key, item in value.items()
    }


def _public_fields(value: object) -> dict[str, Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: getattr(value, name) for name in _field_names(type(value))}
    attributes = getattr(value, "__dict__", {})
    return {name: item for name, item in attributes.items() if not name.startswith("_")}


@functools.cache
def _field_names(cls: type[Any]) -> tuple[str, ...]:
    # Asked for every audited command; `dataclasses.fields` rebuilds its tuple on each call.
    return tuple(field.name for field in dataclasses.fields(cls))


def _plain(value: Any, depth: int) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return _plain(value.value, depth)
    if isinstance(value, UUID | Decimal | datetime | date | time):
        return value.isoformat() if isinstance(value, datetime | date | time) else str(value)
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    if depth >= _MAX_DEPTH:
        return repr(value)
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="python")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = _public_fields(value)
    if isinstance(value, Mapping):
        return _mapping(value, depth + 1)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item, depth + 1) for item in value]
    return repr(value)
