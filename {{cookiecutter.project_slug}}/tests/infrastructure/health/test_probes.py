"""Readiness probes: each dependency's answer as one word, never a stack trace."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.cqrs import MemoryQueryCache
from app.infrastructure.db.engines import create_read_engine, create_write_engine
from app.infrastructure.health.probes import (
    OK,
    TIMEOUT,
    UNREACHABLE,
    CacheProbe,
    DatabaseProbe,
    readiness_probes,
    run_probes,
)
from app.settings import Settings
from tests.support.database import Database, settings_for


@dataclass
class FakeProbe:
    name: str
    answer: bool = True
    error: Exception | None = None
    delay: float = 0.0

    async def check(self) -> bool:
        await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return self.answer


class PingableCache(MemoryQueryCache):
    def __init__(self, *, answers: bool = True) -> None:
        super().__init__(max_entries=10)
        self.answers = answers

    async def ping(self) -> bool:
        return self.answers


async def test_a_database_that_answers_is_ok(database: Database) -> None:
    outcomes = await run_probes([DatabaseProbe("database", database.write)], timeout_seconds=5)

    assert outcomes == {"database": OK}


async def test_a_database_nobody_listens_for_is_unreachable() -> None:
    settings = Settings(_env_file=None, database_pool_timeout_seconds=2)
    engine = create_write_engine(settings, url="postgresql+asyncpg://nobody@127.0.0.1:9/none")
    try:
        outcomes = await run_probes([DatabaseProbe("database", engine)], timeout_seconds=5)
    finally:
        await engine.dispose()

    assert outcomes == {"database": UNREACHABLE}


async def test_each_probe_has_its_own_outcome() -> None:
    probes = [
        FakeProbe("fine"),
        FakeProbe("says-no", answer=False),
        FakeProbe("raises", error=ConnectionRefusedError("secret host db.internal")),
        FakeProbe("slow", delay=1.0),
    ]

    outcomes = await run_probes(probes, timeout_seconds=0.05)

    assert outcomes == {
        "fine": OK,
        "says-no": UNREACHABLE,
        "raises": UNREACHABLE,
        "slow": TIMEOUT,
    }


async def test_a_cache_that_can_be_pinged_is_probed() -> None:
    outcomes = await run_probes([CacheProbe(PingableCache(answers=False))], timeout_seconds=1)

    assert outcomes == {"cache": UNREACHABLE}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(f"sqlite+aiosqlite:///{tmp_path / 'primary.db'}")


async def test_readiness_probes_the_database_only_for_the_in_process_cache(
    settings: Settings,
) -> None:
    engine = create_write_engine(settings)
    try:
        probes = readiness_probes(engine, engine, MemoryQueryCache(max_entries=10))
    finally:
        await engine.dispose()

    assert [probe.name for probe in probes] == ["database"]


async def test_readiness_probes_a_separate_read_database_and_a_remote_cache(
    settings: Settings, tmp_path: Path
) -> None:
    write = create_write_engine(settings)
    read = create_read_engine(settings, url=f"sqlite+aiosqlite:///{tmp_path / 'replica.db'}")
    try:
        probes = readiness_probes(write, read, PingableCache())
    finally:
        await write.dispose()
        await read.dispose()

    assert [probe.name for probe in probes] == ["database", "read_database", "cache"]
