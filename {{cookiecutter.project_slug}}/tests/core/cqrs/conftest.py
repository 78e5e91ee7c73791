from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.core.cqrs import HandlerRegistry, reset_cqrs_bus
from tests.core.cqrs.doubles import DictQueryCache, InMemoryStore


@pytest.fixture(autouse=True)
def _no_current_bus_leaks() -> Iterator[None]:
    reset_cqrs_bus()
    yield
    reset_cqrs_bus()


@pytest.fixture
def registry() -> HandlerRegistry:
    return HandlerRegistry()


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def cache() -> DictQueryCache:
    return DictQueryCache()
