from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pytest

from app.core.cqrs.events import DomainEvent
from app.core.cqrs.memory_cache import MemoryQueryCache
from app.infrastructure.cache.invalidation import (
    InvalidationRuleError,
    TagRules,
)


@dataclass(frozen=True, kw_only=True)
class WidgetRenamed(DomainEvent):
    name: str


@dataclass(frozen=True, kw_only=True)
class WidgetPriceChanged(DomainEvent):
    pass


@dataclass(frozen=True, kw_only=True)
class SpecialWidgetRenamed(WidgetRenamed):
    pass


@dataclass(frozen=True, kw_only=True)
class WidgetAudited(DomainEvent):
    pass


class RecordingCache(MemoryQueryCache):
    """A real memory cache that also remembers each `invalidate_tags` call."""

    def __init__(self) -> None:
        super().__init__(max_entries=100)
        self.invalidations: list[tuple[str, ...]] = []

    async def invalidate_tags(self, tags: Iterable[str]) -> None:
        tags = tuple(tags)
        self.invalidations.append(tags)
        await super().invalidate_tags(tags)


def widget_rules() -> TagRules:
    rules = TagRules()
    rules.register(WidgetRenamed, lambda event: [f"widget:{event.aggregate_id}", "widgets:list"])
    rules.register(WidgetPriceChanged, lambda event: [f"widget:{event.aggregate_id}", "stats"])
    return rules


def test_an_event_maps_to_the_tags_its_rule_returns() -> None:
    tags = widget_rules().tags_for([WidgetRenamed(aggregate_id="w1", name="Sprocket")])

    assert tags == ("widget:w1", "widgets:list")


def test_the_tags_of_several_events_are_merged_each_once_in_order() -> None:
    events = [
        WidgetRenamed(aggregate_id="w1", name="Sprocket"),
        WidgetPriceChanged(aggregate_id="w1"),
        WidgetRenamed(aggregate_id="w2", name="Cog"),
    ]

    tags = widget_rules().tags_for(events)

    assert tags == ("widget:w1", "widgets:list", "stats", "widget:w2")


def test_an_event_without_a_rule_names_no_tags() -> None:
    assert widget_rules().tags_for([WidgetAudited(aggregate_id="w1")]) == ()


def test_a_rule_for_an_event_class_also_covers_its_subclasses() -> None:
    rules = widget_rules()
    rules.register(SpecialWidgetRenamed, lambda event: ["special-widgets"])

    tags = rules.tags_for([SpecialWidgetRenamed(aggregate_id="w9", name="Gear")])

    assert tags == ("special-widgets", "widget:w9", "widgets:list")


def test_several_rules_for_one_event_type_all_apply() -> None:
    rules = widget_rules()
    rules.register(WidgetRenamed, lambda event: [f"search:{event.name.lower()}"])

    tags = rules.tags_for([WidgetRenamed(aggregate_id="w1", name="Cog")])

    assert tags == ("widget:w1", "widgets:list", "search:cog")


def test_rules_can_only_be_registered_for_domain_event_classes() -> None:
    with pytest.raises(TypeError, match="DomainEvent classes"):
        TagRules().register(str, lambda text: [text])  # type: ignore[type-var]


def test_a_rule_that_returns_a_single_string_is_reported_as_a_failing_rule() -> None:
    rules = TagRules()
    rules.register(WidgetAudited, lambda event: f"widget:{event.aggregate_id}")

    with pytest.raises(InvalidationRuleError, match="returned the string 'widget:w1'"):
        rules.tags_for([WidgetAudited(aggregate_id="w1")])
