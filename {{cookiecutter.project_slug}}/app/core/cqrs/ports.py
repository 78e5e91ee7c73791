"""Ports: what the CQRS core needs from the outside world.

The core never imports infrastructure. Infrastructure (`app/infrastructure`) implements these
protocols and the container (`app/container.py`) hands the implementations to the bus.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from app.core.cqrs.events import DomainEvent

IsolationLevel = Literal["READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE"]

# Runs once a unit of work has committed, with the events it wrote (cache invalidation,
# in-process projection catch-up). Failures here are logged, never undo the commit.
AfterCommitHook = Callable[[Sequence[DomainEvent]], Awaitable[None]]


class UnitOfWork(Protocol):
    """One open transaction.

    Events recorded here are written to the event log in the same transaction as the state
    change, and handed to after-commit subscribers (projectors, cache invalidation) only once
    the commit has succeeded.
    """

    def record(self, *events: DomainEvent) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    @property
    def last_event_position(self) -> int | None:
        """Global position of the last event written by `commit`, for read-your-writes."""
        ...


class UnitOfWorkFactory(Protocol):
    async def begin(self, *, isolation_level: IsolationLevel | None = None) -> UnitOfWork: ...


@dataclass(frozen=True, slots=True)
class Cached:
    """A cache hit. Wrapping the value tells a cached `None` apart from a miss."""

    value: object


@runtime_checkable
class QueryCache(Protocol):
    """A query result cache with tag-based invalidation.

    Implementations never raise for backend trouble: an unreachable backend behaves as a miss
    on `get` and as a no-op on `set` / `invalidate_tags`.
    """

    @property
    def backend_name(self) -> str: ...

    async def get(self, key: str) -> Cached | None: ...

    async def set(
        self, key: str, value: object, *, ttl_seconds: int, tags: Sequence[str] = ()
    ) -> None: ...

    async def invalidate_tags(self, tags: Iterable[str]) -> None: ...


# Checks every QueryCache applies to what it is handed. A wrong TTL or tag list is a bug in the
# calling code, not backend trouble, so these raise instead of being swallowed like an outage.


def checked_ttl_seconds(ttl_seconds: int) -> int:
    if isinstance(ttl_seconds, bool) or not isinstance(ttl_seconds, int):
        raise TypeError(f"ttl_seconds must be an int, not {type(ttl_seconds).__name__}")
    if ttl_seconds < 1:
        raise ValueError(f"ttl_seconds must be at least 1, got {ttl_seconds}")
    return ttl_seconds


def tag_tuple(tags: Iterable[str]) -> tuple[str, ...]:
    """The tags, each once, in order; a lone string is refused (it would iterate as letters)."""
    if isinstance(tags, str):
        raise TypeError(f"tags must be a collection of tag names, not the string {tags!r}")
    unique = tuple(dict.fromkeys(tags))
    for tag in unique:
        if not isinstance(tag, str) or not tag:
            raise TypeError(f"every tag must be a non-empty string, got {tag!r}")
    return unique


class Principal(Protocol):
    """Who is asking: put into an operation's metadata by the API layer."""

    @property
    def user_id(self) -> str: ...

    @property
    def permissions(self) -> frozenset[str]: ...

    @property
    def is_admin(self) -> bool: ...


class EventPublisher(Protocol):
    """Where handlers send domain events; the default records them in the current unit of work."""

    async def publish(self, *events: DomainEvent) -> None: ...
