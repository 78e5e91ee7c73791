"""Event-driven cache invalidation: committed events name the cache tags they make stale.

The domain declares, per event type, a function of the event that returns tags:

    rules = TagRules()
    rules.register(UserRenamed, lambda event: [f"user:{event.aggregate_id}", "users:list"])

and the write settlement (`app.infrastructure.consistency.settlement`) invalidates the tags of a
commit's events once the projections have caught up with it. A rule for a base class also
covers its subclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar, cast

from app.core.cqrs.events import DomainEvent

E = TypeVar("E", bound=DomainEvent)
TagRule = Callable[[DomainEvent], Iterable[str]]


class InvalidationRuleError(Exception):
    """A tag rule failed; the tags of every other rule were still invalidated."""


class TagRules:
    """Event type -> functions returning the cache tags an event of that type makes stale."""

    def __init__(self) -> None:
        self._rules: dict[type[DomainEvent], list[TagRule]] = {}

    def register(self, event_type: type[E], rule: Callable[[E], Iterable[str]]) -> None:
        if not (isinstance(event_type, type) and issubclass(event_type, DomainEvent)):
            raise TypeError(f"tag rules are registered for DomainEvent classes, not {event_type!r}")
        # Safe: a rule is only ever called with events of the type it is registered for.
        self._rules.setdefault(event_type, []).append(cast(TagRule, rule))

    def tags_for(
        self,
        events: Iterable[DomainEvent],
        *,
        errors: list[InvalidationRuleError] | None = None,
    ) -> tuple[str, ...]:
        """The tags of all events, each once, in order.

        A failing rule raises, unless `errors` is given: then the failure is appended to it
        and the other rules still run.
        """
        tags: dict[str, None] = {}
        for event in events:
            for event_class in type(event).__mro__:
                for rule in self._rules.get(event_class, ()):
                    try:
                        produced = rule(event)
                        if isinstance(produced, str):
                            raise TypeError(f"returned the string {produced!r}, not a tag list")
                        tags.update(dict.fromkeys(produced))
                    except Exception as exc:
                        error = InvalidationRuleError(
                            f"tag rule {rule!r} for {type(event).__name__} failed: {exc}"
                        )
                        if errors is None:
                            raise error from exc
                        error.__cause__ = exc
                        errors.append(error)
        return tuple(tags)
