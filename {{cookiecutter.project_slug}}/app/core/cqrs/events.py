"""Domain events: past-tense facts recorded by command handlers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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
        data = asdict(self)
        del data["aggregate_id"], data["occurred_at"]
        return data
