from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID, uuid4

import pytest

from app.core.cqrs.events import DomainEvent
from app.infrastructure.events.codec import EventCodec, EventDecodingError, encode_payload
from app.infrastructure.events.stored import StoredEvent


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


@dataclass(frozen=True, kw_only=True)
class Painted(DomainEvent):
    colour: Colour
    brush_id: UUID
    dried_at: datetime
    layers: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class Renamed(DomainEvent):
    schema_version: ClassVar[int] = 3
    first_name: str
    last_name: str


def stored(event_type: str, payload: dict[str, Any], *, schema_version: int = 1) -> StoredEvent:
    return StoredEvent(
        position=9,
        event_type=event_type,
        schema_version=schema_version,
        aggregate_id="agg-1",
        aggregate_version=2,
        payload=payload,
        occurred_at=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


def test_an_event_survives_the_round_trip_through_json():
    event = Painted(
        aggregate_id="agg-1",
        occurred_at=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC),
        colour=Colour.BLUE,
        brush_id=uuid4(),
        dried_at=datetime(2030, 1, 3, tzinfo=UTC),
        layers=(1, 2),
    )
    payload = encode_payload(event)

    assert payload == {
        "colour": "blue",
        "brush_id": str(event.brush_id),
        "dried_at": "2030-01-03T00:00:00Z",
        "layers": [1, 2],
    }
    assert EventCodec([Painted]).decode(stored("Painted", payload)) == event


def test_old_payloads_are_upcast_step_by_step_to_the_current_schema():
    codec = EventCodec([Renamed])
    codec.add_upcaster("Renamed", 1, lambda p: {"full_name": p["name"]})
    codec.add_upcaster(
        "Renamed",
        2,
        lambda p: dict(zip(("first_name", "last_name"), p["full_name"].split(), strict=True)),
    )

    decoded = codec.decode(stored("Renamed", {"name": "Ada Lovelace"}, schema_version=1))

    assert decoded == Renamed(
        aggregate_id="agg-1",
        occurred_at=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC),
        first_name="Ada",
        last_name="Lovelace",
    )


def test_a_missing_upcaster_is_reported():
    codec = EventCodec([Renamed])
    with pytest.raises(EventDecodingError, match="no upcaster for Renamed from schema version 2"):
        codec.decode(stored("Renamed", {"full_name": "Ada Lovelace"}, schema_version=2))


def test_payloads_written_by_newer_code_are_refused():
    with pytest.raises(EventDecodingError, match="newer than this code"):
        EventCodec([Renamed]).decode(stored("Renamed", {}, schema_version=4))


def test_unknown_event_types_are_refused():
    with pytest.raises(EventDecodingError, match="unknown event type 'Vanished'"):
        EventCodec([Painted]).decode(stored("Vanished", {}))


def test_two_classes_cannot_share_an_event_type():
    codec = EventCodec([Painted])
    codec.register(Painted)  # the same class again is fine

    other = type("Painted", (DomainEvent,), {})
    with pytest.raises(ValueError, match="'Painted' is taken"):
        codec.register(other)
    assert codec.event_types == frozenset({"Painted"})
