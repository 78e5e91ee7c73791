"""In-process query cache: a bounded LRU with a TTL per entry and a tag index.

Every operation is O(1) in the number of entries (tag invalidation is linear in the entries it
drops). Nothing awaits, so each call runs whole within one event-loop step: no locks needed.

Values are kept by reference, not copied, which is what makes a hit nearly free: cache
immutable results (frozen read models, tuples). This cache lives in one process; several
workers or replicas each have their own and see only their own invalidations, so there a
stale read is bounded by the TTL alone. Use the Redis backend to share one cache.

The application uses it when REDIS_URL is unset (`app.infrastructure.cache.factory`, which
counts hits and misses through `on_hit` and `on_miss`), and so does the bus `get_cqrs_bus()`
builds when none was installed.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from app.core.cqrs.ports import Cached, checked_ttl_seconds, tag_tuple

Clock = Callable[[], float]


def _uncounted() -> None:
    pass


@dataclass(slots=True)
class _Entry:
    hit: Cached  # built once at `set`, so a hit allocates nothing
    expires_at: float
    tags: tuple[str, ...]


class MemoryQueryCache:
    """`QueryCache` held in this process's memory."""

    def __init__(
        self,
        *,
        max_entries: int,
        clock: Clock = time.monotonic,
        on_hit: Callable[[], object] = _uncounted,
        on_miss: Callable[[], object] = _uncounted,
    ) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self._max_entries = max_entries
        self._clock = clock
        # Ordered from least to most recently used.
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._keys_by_tag: dict[str, set[str]] = {}
        self._on_hit = on_hit
        self._on_miss = on_miss

    @property
    def backend_name(self) -> str:
        return "memory"

    @property
    def entry_count(self) -> int:
        """Entries held, including expired ones not yet reclaimed."""
        return len(self._entries)

    @property
    def tag_count(self) -> int:
        """Tags that still name at least one held entry."""
        return len(self._keys_by_tag)

    async def get(self, key: str) -> Cached | None:
        entry = self._entries.get(key)
        if entry is None:
            self._on_miss()
            return None
        if entry.expires_at <= self._clock():
            self._drop(key)
            self._on_miss()
            return None
        self._entries.move_to_end(key)
        self._on_hit()
        return entry.hit

    async def set(
        self, key: str, value: object, *, ttl_seconds: int, tags: Sequence[str] = ()
    ) -> None:
        expires_at = self._clock() + checked_ttl_seconds(ttl_seconds)
        entry_tags = tag_tuple(tags)
        if key in self._entries:
            self._drop(key)
        self._entries[key] = _Entry(Cached(value), expires_at, entry_tags)
        for tag in entry_tags:
            self._keys_by_tag.setdefault(tag, set()).add(key)
        if len(self._entries) > self._max_entries:
            self._drop(next(iter(self._entries)))

    async def invalidate_tags(self, tags: Iterable[str]) -> None:
        for tag in tag_tuple(tags):
            for key in tuple(self._keys_by_tag.get(tag, ())):
                self._drop(key)

    async def aclose(self) -> None:
        self._entries.clear()
        self._keys_by_tag.clear()

    def _drop(self, key: str) -> None:
        """Remove an entry and every mention of it in the tag index."""
        entry = self._entries.pop(key)
        for tag in entry.tags:
            keys = self._keys_by_tag[tag]
            keys.discard(key)
            if not keys:
                del self._keys_by_tag[tag]
