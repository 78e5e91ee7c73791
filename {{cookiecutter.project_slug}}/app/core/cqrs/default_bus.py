"""The application's bus, as `get_cqrs_bus()` returns it (also a FastAPI dependency).

The container builds the real one with `initialize_cqrs_bus(...)` (or `set_cqrs_bus`) at
start-up; without that, the first `get_cqrs_bus()` builds a bus over the default registry with
no infrastructure but an in-process query cache, so the pattern guide's Quick Start runs as
written, `@cached_query` included. Nothing invalidates that cache's entries by tag (there is no
unit of work whose commits could): they live for their TTL. Tests build their own
`CQRSBus(registry=...)` or call `reset_cqrs_bus()` afterwards.
"""

from __future__ import annotations

from app.core.cqrs.authorization import Authorizer
from app.core.cqrs.bus import CQRSBus
from app.core.cqrs.memory_cache import MemoryQueryCache
from app.core.cqrs.ports import QueryCache, UnitOfWorkFactory
from app.core.cqrs.registry import HandlerRegistry
from app.core.cqrs.types import HandlerFactory

# As many entries as the application's in-process cache holds by default (CACHE_MAX_ENTRIES).
_DEFAULT_CACHE_ENTRIES = 10_000

_current_bus: CQRSBus | None = None


def get_cqrs_bus() -> CQRSBus:
    global _current_bus
    if _current_bus is None:
        _current_bus = CQRSBus(query_cache=MemoryQueryCache(max_entries=_DEFAULT_CACHE_ENTRIES))
    return _current_bus


def initialize_cqrs_bus(
    *,
    allow_handler_override: bool = False,
    registry: HandlerRegistry | None = None,
    handler_factory: HandlerFactory | None = None,
    unit_of_work_factory: UnitOfWorkFactory | None = None,
    query_cache: QueryCache | None = None,
    authorizer: Authorizer | None = None,
) -> CQRSBus:
    """Build the application's bus and make it the one `get_cqrs_bus()` returns.

    Raises DuplicateHandlerError naming both classes when a message type has two handlers,
    unless `allow_handler_override` (then the last registered wins).
    """
    bus = CQRSBus(
        registry=registry,
        handler_factory=handler_factory,
        unit_of_work_factory=unit_of_work_factory,
        query_cache=query_cache,
        authorizer=authorizer,
        allow_handler_override=allow_handler_override,
    )
    set_cqrs_bus(bus)
    return bus


def set_cqrs_bus(bus: CQRSBus) -> None:
    global _current_bus
    _current_bus = bus


def reset_cqrs_bus() -> None:
    """Forget the current bus; the next `get_cqrs_bus()` builds a fresh default one (with an
    empty cache)."""
    global _current_bus
    _current_bus = None
