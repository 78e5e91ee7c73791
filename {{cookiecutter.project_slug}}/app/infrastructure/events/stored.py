"""Events as they come back out of the log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.cqrs.events import DomainEvent


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One row of the event log, payload still JSON."""

    position: int
    event_type: str
    schema_version: int
    aggregate_id: str
    aggregate_version: int
    payload: Mapping[str, Any]
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """A decoded event with its place in the log: what projections receive."""

    position: int
    aggregate_version: int
    event: DomainEvent
