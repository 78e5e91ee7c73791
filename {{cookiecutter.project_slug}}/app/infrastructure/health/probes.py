"""Probes for /health/ready: each asks one dependency a trivial question, within a deadline.

A probe's outcome is a short word (`ok`, `unreachable`, `timeout`), never the underlying error,
which may name hosts or credentials; failures are logged here in full instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.cqrs.ports import QueryCache

logger = logging.getLogger(__name__)

OK = "ok"
UNREACHABLE = "unreachable"
TIMEOUT = "timeout"

_select_one = text("SELECT 1")


class Probe(Protocol):
    @property
    def name(self) -> str: ...

    async def check(self) -> bool:
        """True when the dependency answered as expected."""
        ...


@runtime_checkable
class Pingable(Protocol):
    """A cache backend that can tell whether its server answers (Redis; not the in-process one)."""

    async def ping(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class DatabaseProbe:
    name: str
    engine: AsyncEngine

    async def check(self) -> bool:
        async with self.engine.connect() as connection:
            await connection.execute(_select_one)
        return True


@dataclass(frozen=True, slots=True)
class CacheProbe:
    cache: Pingable
    name: str = "cache"

    async def check(self) -> bool:
        return await self.cache.ping()


def readiness_probes(
    write_engine: AsyncEngine, read_engine: AsyncEngine, cache: QueryCache
) -> list[Probe]:
    """The database (and its replica, when queries read elsewhere), and the cache if remote."""
    probes: list[Probe] = [DatabaseProbe("database", write_engine)]
    if read_engine.url != write_engine.url:
        probes.append(DatabaseProbe("read_database", read_engine))
    if isinstance(cache, Pingable):
        probes.append(CacheProbe(cache))
    return probes


async def run_probes(probes: Sequence[Probe], *, timeout_seconds: float) -> Mapping[str, str]:
    """Every probe's outcome by name, all run at once."""
    outcomes = await asyncio.gather(*(_outcome(probe, timeout_seconds) for probe in probes))
    return {probe.name: outcome for probe, outcome in zip(probes, outcomes, strict=True)}


async def _outcome(probe: Probe, timeout_seconds: float) -> str:
    try:
        async with asyncio.timeout(timeout_seconds):
            answered = await probe.check()
    except TimeoutError:
        logger.warning("readiness: %s did not answer within %ss", probe.name, timeout_seconds)
        return TIMEOUT
    except Exception:
        logger.warning("readiness: %s failed", probe.name, exc_info=True)
        return UNREACHABLE
    return OK if answered else UNREACHABLE
