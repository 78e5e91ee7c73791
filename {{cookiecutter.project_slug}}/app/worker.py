"""The projection worker: `python -m app.worker` keeps read models up to date in its own process.

Run it when there are several API replicas, or to take projection work off the API process.
Any number of workers (and API processes projecting in-process) may run at once: a projection
is worked on by whoever claims its checkpoint, and nobody applies an event twice. SIGTERM or
SIGINT stops the worker after its current batch; a harder kill loses only that batch's
uncommitted work, which the next claimant redoes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Sequence
from pathlib import Path

from app.infrastructure.db.engines import create_write_engine
from app.infrastructure.projections.catch_up import ProjectionCatchUp
from app.infrastructure.projections.installed import installed_projections
from app.settings import Settings, get_settings

logger = logging.getLogger("app.worker")


class ProjectionWorker:
    def __init__(
        self,
        catch_up: ProjectionCatchUp,
        *,
        poll_interval_seconds: float,
        heartbeat_file: Path | None = None,
    ) -> None:
        self._catch_up = catch_up
        self._poll_interval = poll_interval_seconds
        # Touched after every pass: a container health check reads its age.
        self._heartbeat_file = heartbeat_file

    async def run(self, stop: asyncio.Event) -> None:
        """Catch up, then poll for new events, until `stop` is set."""
        while not stop.is_set():
            outcome = await self._catch_up.run_pass()
            if self._heartbeat_file is not None:
                self._heartbeat_file.touch()
            if outcome.applied and outcome.complete:
                continue  # there may be more right behind
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._poll_interval)


async def run_worker(
    settings: Settings,
    stop: asyncio.Event,
    *,
    poll_interval_seconds: float = 0.5,
    batch_size: int = 500,
    heartbeat_file: Path | None = None,
) -> None:
    engine = create_write_engine(settings)
    try:
        projections = installed_projections()
        names = ", ".join(projection.name for projection in projections) or "none"
        logger.info("projection worker started for: %s", names)
        catch_up = ProjectionCatchUp(engine, projections, batch_size=batch_size)
        worker = ProjectionWorker(
            catch_up, poll_interval_seconds=poll_interval_seconds, heartbeat_file=heartbeat_file
        )
        await worker.run(stop)
    finally:
        await engine.dispose()
        logger.info("projection worker stopped")


async def _serve(poll_interval_seconds: float, batch_size: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    heartbeat = os.environ.get("WORKER_HEARTBEAT_FILE")
    await run_worker(
        get_settings(),
        stop,
        poll_interval_seconds=poll_interval_seconds,
        batch_size=batch_size,
        heartbeat_file=Path(heartbeat) if heartbeat else None,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.worker", description=__doc__)
    parser.add_argument("--poll-interval", type=float, default=0.5, help="seconds between polls")
    parser.add_argument("--batch-size", type=int, default=500, help="events per transaction")
    args = parser.parse_args(argv)
    logging.basicConfig(level=get_settings().log_level, format="%(levelname)s %(name)s %(message)s")
    asyncio.run(_serve(args.poll_interval, args.batch_size))


if __name__ == "__main__":
    main()
