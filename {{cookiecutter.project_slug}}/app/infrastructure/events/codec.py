"""Turning domain events into log rows and back.

Events are looked up by `event_type()`. A payload written under an older `schema_version` is
brought up to date by upcasters (one per version step) before the class is built, so event
classes only ever describe their current shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import to_jsonable_python

from app.core.cqrs.events import DomainEvent
from app.infrastructure.events.stored import RecordedEvent, StoredEvent

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class EventDecodingError(LookupError):
    """A stored event cannot be turned back into a domain event."""


def encode_payload(event: DomainEvent) -> dict[str, Any]:
    """The event's payload as plain JSON values (UUIDs, enums and datetimes become strings)."""
    encoded = to_jsonable_python(event.payload())
    if not isinstance(encoded, dict):
        raise TypeError(f"{type(event).__name__}.payload() must return a dict")
    return encoded


class EventCodec:
    def __init__(self, event_classes: Iterable[type[DomainEvent]] = ()) -> None:
        self._classes: dict[str, type[DomainEvent]] = {}
        self._adapters: dict[str, TypeAdapter[DomainEvent]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        for event_class in event_classes:
            self.register(event_class)

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(self._classes)

    def register(self, event_class: type[DomainEvent]) -> None:
        name = event_class.event_type()
        known = self._classes.get(name)
        if known is event_class:
            return
        if known is not None:
            raise ValueError(f"event type {name!r} is taken by {known.__qualname__}")
        self._classes[name] = event_class
        self._adapters[name] = TypeAdapter(event_class)

    def add_upcaster(self, event_type: str, from_version: int, upcaster: Upcaster) -> None:
        """Register how a payload of `from_version` becomes one of `from_version + 1`."""
        self._upcasters[(event_type, from_version)] = upcaster

    def decode(self, stored: StoredEvent) -> DomainEvent:
        event_class = self._classes.get(stored.event_type)
        if event_class is None:
            raise EventDecodingError(f"unknown event type {stored.event_type!r}")
        payload = self._upcast(stored, target=event_class.schema_version)
        fields = {**payload, "aggregate_id": stored.aggregate_id, "occurred_at": stored.occurred_at}
        return self._adapters[stored.event_type].validate_python(fields)

    def decode_recorded(self, stored: StoredEvent) -> RecordedEvent:
        """The event with its place in the log, as projections receive it."""
        return RecordedEvent(stored.position, stored.aggregate_version, self.decode(stored))

    def _upcast(self, stored: StoredEvent, *, target: int) -> dict[str, Any]:
        version = stored.schema_version
        if version > target:
            raise EventDecodingError(
                f"{stored.event_type} at position {stored.position} has schema version "
                f"{version}, newer than this code's {target}"
            )
        payload = dict(stored.payload)
        while version < target:
            upcaster = self._upcasters.get((stored.event_type, version))
            if upcaster is None:
                raise EventDecodingError(
                    f"no upcaster for {stored.event_type} from schema version {version}"
                )
            payload = upcaster(payload)
            version += 1
        return payload
