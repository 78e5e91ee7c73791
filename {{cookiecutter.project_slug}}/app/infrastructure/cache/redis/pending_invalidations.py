"""Invalidations that could not reach Redis yet, kept to be replayed when it returns.

Bounded: past `limit` tags, further tags are dropped, and the entries they name stay servable
until their TTL. That is logged as an error once when it starts and once, with the total, when
the backlog has been replayed, and each dropped tag counts as an invalidate error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from app.infrastructure.cache.metrics import CACHE_ERRORS

_log = logging.getLogger(__name__)


class PendingInvalidations:
    __slots__ = ("_dropped", "_errors", "_limit", "_tags")

    def __init__(self, backend: str, *, limit: int) -> None:
        self._limit = limit
        self._tags: set[str] = set()
        self._dropped = 0
        self._errors = CACHE_ERRORS.labels(backend=backend, operation="invalidate")

    def __bool__(self) -> bool:
        return bool(self._tags)

    def add(self, tags: Iterable[str]) -> None:
        fresh = [tag for tag in tags if tag not in self._tags]
        room = self._limit - len(self._tags)
        if len(fresh) > room:
            dropped = len(fresh) - room
            if not self._dropped:
                _log.error(
                    "more than %d cache invalidations are waiting for Redis: dropping the rest, "
                    "whose entries stay servable until they expire",
                    self._limit,
                )
            self._dropped += dropped
            self._errors.inc(dropped)
            fresh = fresh[:room]
        self._tags.update(fresh)

    def batch(self, size: int) -> list[str]:
        """Up to `size` pending tags, left pending until `done` is called with them."""
        batch: list[str] = []
        for tag in self._tags:
            if len(batch) == size:
                break
            batch.append(tag)
        return batch

    def done(self, tags: Iterable[str]) -> None:
        self._tags.difference_update(tags)
        if not self._tags and self._dropped:
            _log.error(
                "replayed the cache invalidations kept during the Redis outage; %d more were "
                "dropped, and their entries stay servable until they expire",
                self._dropped,
            )
            self._dropped = 0
