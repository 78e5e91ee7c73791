"""In-memory doubles of the core's ports, recording what the bus did with them.

The real unit of work (SQLAlchemy) and cache backends live in app/infrastructure and are
tested there against real servers; these only let the core's own behaviour be observed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.core.cqrs import Cached, DomainEvent, IsolationLevel


class InMemoryStore:
    """A key-value "database": writes become visible only when their unit of work commits."""

    def __init__(
        self, after_commit: Callable[[list[DomainEvent]], Awaitable[None]] | None = None
    ) -> None:
        self.after_commit = after_commit
        self.committed: dict[str, Any] = {}
        self.log: list[str] = []
        self.units: list[RecordingUnitOfWork] = []
        self.fail_commit: Exception | None = None
        self.fail_rollback: Exception | None = None
        self.next_position = 0

    async def begin(self, *, isolation_level: IsolationLevel | None = None) -> RecordingUnitOfWork:
        unit = RecordingUnitOfWork(self, isolation_level)
        self.units.append(unit)
        self.log.append("begin")
        return unit


class RecordingUnitOfWork:
    def __init__(self, store: InMemoryStore, isolation_level: IsolationLevel | None) -> None:
        self.store = store
        self.isolation_level = isolation_level
        self.pending: dict[str, Any] = {}
        self.events: list[DomainEvent] = []
        self.state = "open"
        self._last_event_position: int | None = None

    def write(self, key: str, value: Any) -> None:
        self.pending[key] = value

    def record(self, *events: DomainEvent) -> None:
        self.events.extend(events)

    async def commit(self) -> None:
        self.store.log.append("commit")
        if self.store.fail_commit is not None:
            raise self.store.fail_commit
        self.store.committed.update(self.pending)
        if self.events:
            self.store.next_position += len(self.events)
            self._last_event_position = self.store.next_position
        self.state = "committed"
        if self.store.after_commit is not None:
            await self.store.after_commit(self.events)

    async def rollback(self) -> None:
        self.store.log.append("rollback")
        self.state = "rolled back"
        if self.store.fail_rollback is not None:
            raise self.store.fail_rollback

    @property
    def last_event_position(self) -> int | None:
        return self._last_event_position


class DictQueryCache:
    """A QueryCache over a dict (no expiry), recording every call."""

    backend_name = "dict"

    def __init__(self, calls: list[str] | None = None) -> None:
        self.entries: dict[str, tuple[object, int, tuple[str, ...]]] = {}
        self.calls: list[str] = calls if calls is not None else []
        self.broken = False

    async def get(self, key: str) -> Cached | None:
        self.calls.append(f"get {key}")
        if self.broken:
            raise ConnectionError("cache down")
        entry = self.entries.get(key)
        return Cached(entry[0]) if entry is not None else None

    async def set(
        self, key: str, value: object, *, ttl_seconds: int, tags: Sequence[str] = ()
    ) -> None:
        self.calls.append(f"set {key}")
        if self.broken:
            raise ConnectionError("cache down")
        self.entries[key] = (value, ttl_seconds, tuple(tags))

    async def invalidate_tags(self, tags: Iterable[str]) -> None:
        dropped = set(tags)
        for key in [k for k, (_, _, t) in self.entries.items() if dropped & set(t)]:
            del self.entries[key]


@dataclass(frozen=True)
class User:
    """A Principal."""

    user_id: str
    permissions: frozenset[str] = field(default_factory=frozenset)
    is_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class SomethingHappened(DomainEvent):
    detail: str = ""
