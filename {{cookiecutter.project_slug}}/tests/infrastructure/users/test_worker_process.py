"""`python -m app.worker` as a real process: SIGKILLed, restarted, stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from app.domain.users.roles import UserRole
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.events.tables import event_log
from app.infrastructure.projections.rebuild import rebuild_projection
from app.infrastructure.users.projections import projections
from tests.infrastructure.users.scenario import change, register
from tests.infrastructure.users.test_projections import read_models
from tests.support.database import PROJECT_ROOT, Database
from tests.support.projections import read_checkpoints

NAMES = ["user_view", "user_stats"]


async def start_worker(
    database: Database, heartbeat: Path | None = None
) -> asyncio.subprocess.Process:
    environment = {"DATABASE_URL": database.url}
    if heartbeat is not None:
        environment["WORKER_HEARTBEAT_FILE"] = str(heartbeat)
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app.worker",
        "--batch-size",
        "5",
        "--poll-interval",
        "0.02",
        cwd=PROJECT_ROOT,
        env=os.environ | environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def progress(database: Database) -> tuple[int, int]:
    """(the slowest users projection's checkpoint, the log head)."""
    async with database.read.connect() as connection:
        checkpoints = await read_checkpoints(connection, NAMES)
        head = (await connection.execute(select(func.max(event_log.c.position)))).scalar_one()
    return min(checkpoints.values()), head


async def wait_until_running(heartbeat: Path) -> None:
    """Until the worker has finished a pass, and so has its signal handlers in place."""
    async with asyncio.timeout(60):
        while True:
            if await asyncio.to_thread(heartbeat.exists):
                return
            await asyncio.sleep(0.005)


async def wait_for_progress(database: Database, reached: Callable[[int, int], bool]) -> None:
    async with asyncio.timeout(60):
        while True:
            if reached(*await progress(database)):
                return
            await asyncio.sleep(0.005)


async def test_a_killed_worker_restarted_leaves_read_models_equal_to_a_rebuild(database, tmp_path):
    factory = SqlAlchemyUnitOfWorkFactory(database.write)
    for number in range(60):
        role = UserRole.ADMIN if number % 7 == 0 else UserRole.USER
        user = await register(factory, f"user{number}@example.com", role=role)
        if number % 3 == 0:
            await change(factory, user.id, full_name=f"Renamed {number}")
        if number % 5 == 0:
            await change(factory, user.id, deactivate=True)

    first = await start_worker(database)
    await wait_for_progress(database, lambda checkpoint, _head: checkpoint > 0)
    first.kill()
    await first.wait()

    heartbeat = tmp_path / "heartbeat"
    second = await start_worker(database, heartbeat)
    # The first may have caught up before it was killed: wait for the second to be running
    # too, or SIGTERM could arrive before its handlers exist.
    await wait_until_running(heartbeat)
    await wait_for_progress(database, lambda checkpoint, head: checkpoint == head)
    second.send_signal(signal.SIGTERM)
    _, errors = await asyncio.wait_for(second.communicate(), 30)
    assert second.returncode == 0, errors.decode()

    from_worker = await read_models(database)
    for projection in projections():
        await rebuild_projection(database.write, projection)
    assert await read_models(database) == from_worker
    assert len(from_worker["user_view"]) == 60
