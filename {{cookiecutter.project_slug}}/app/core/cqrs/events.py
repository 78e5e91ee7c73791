"""Domain events: past-tense facts recorded by command handlers."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, ClassVar


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base for domain events.

    Subclasses are frozen keyword-only dataclasses named in the past tense (`UserCreated`).
    `aggregate_id` names the entity the event is about; `payload()` is what the event log
    stores, so every field must be JSON-friendly or converted by the log's codec.
    """

    schema_version: ClassVar[int] = 1

    aggregate_id: str
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @classmethod
    def event_type(cls) -> str:
        return cls.__name__

    def payload(self) -> dict[str, Any]:
        """The fields besides `aggregate_id` and `occurred_at`, values as they are (not copied:
        `dataclasses.asdict`'s deep copy cost more than the rest of appending the event)."""
        return {name: getattr(self, name) for name in _payload_fields(type(self))}


_PAYLOAD_FIELDS: dict[type[DomainEvent], tuple[str, ...]] = {}


def _payload_fields(event_class: type[DomainEvent]) -> tuple[str, ...]:
    names = _PAYLOAD_FIELDS.get(event_class)
    if names is None:
        envelope = ("aggregate_id", "occurred_at")
        names = tuple(f.name for f in fields(event_class) if f.name not in envelope)
        _PAYLOAD_FIELDS[event_class] = names
    return names
