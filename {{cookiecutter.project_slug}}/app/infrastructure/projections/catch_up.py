"""Bringing projections up to the head of the event log, one transaction per batch.

Each batch: claim the checkpoint (skipping a projection another projector holds), note the log
head, apply the projection's events after the checkpoint up to that head, move the checkpoint,
commit. Positions commit in order (see `app.infrastructure.events.log`), so nothing at or below
the head can still appear, and a batch that reached the head moves the checkpoint to it even
when the last events were of types this projection ignores. A projection that fails stays at
its last good checkpoint, is retried later and never skips the event; the others carry on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from app.infrastructure.events.codec import EventCodec
from app.infrastructure.events.log import log_head, read_events
from app.infrastructure.projections.checkpoints import advance_checkpoint, claim_checkpoint
from app.infrastructure.projections.progress import ProgressSignal
from app.infrastructure.projections.projection import Projection

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    applied: int
    busy: bool = False
    caught_up: bool = True


@dataclass(frozen=True, slots=True)
class PassOutcome:
    applied: int
    busy: tuple[str, ...]
    failed: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Every projection reached the head it saw; nothing was skipped or failed."""
        return not self.busy and not self.failed


def codec_for(projections: Sequence[Projection]) -> EventCodec:
    """A codec that knows every event type the projections subscribe to."""
    return EventCodec(
        event_class for projection in projections for event_class in projection.handles
    )


class ProjectionCatchUp:
    def __init__(
        self,
        engine: AsyncEngine,
        projections: Sequence[Projection],
        *,
        codec: EventCodec | None = None,
        batch_size: int = 500,
        progress: ProgressSignal | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        names = [projection.name for projection in projections]
        if len(set(names)) != len(names):
            raise ValueError(f"projection names must be unique, got {names}")
        self._engine = engine
        self._projections = tuple(projections)
        self._codec = codec or codec_for(projections)
        self._batch_size = batch_size
        self._progress = progress

    @property
    def projections(self) -> tuple[Projection, ...]:
        return self._projections

    async def run_pass(self) -> PassOutcome:
        """Catch every projection up as far as possible; failures are logged, not raised."""
        applied = 0
        busy: list[str] = []
        failed: list[str] = []
        for projection in self._projections:
            try:
                count, was_busy = await self.catch_up(projection)
            except Exception:
                logger.exception("projection %s failed; it will be retried", projection.name)
                failed.append(projection.name)
                continue
            applied += count
            if was_busy:
                busy.append(projection.name)
        return PassOutcome(applied=applied, busy=tuple(busy), failed=tuple(failed))

    async def catch_up(self, projection: Projection) -> tuple[int, bool]:
        """Run batches until the projection is at the head; (events applied, claimed elsewhere)."""
        applied = 0
        while True:
            outcome = await self.run_batch(projection)
            applied += outcome.applied
            if outcome.busy or outcome.caught_up:
                return applied, outcome.busy

    async def run_batch(self, projection: Projection) -> BatchOutcome:
        async with self._engine.begin() as connection:
            checkpoint = await claim_checkpoint(connection, projection.name, wait=False)
            if checkpoint is None:
                return BatchOutcome(applied=0, busy=True)
            head = await log_head(connection)
            if head <= checkpoint:
                return BatchOutcome(applied=0)
            stored_events = await read_events(
                connection,
                after=checkpoint,
                up_to=head,
                event_types=projection.event_types,
                limit=self._batch_size,
            )
            await projection.apply_batch(
                connection, [self._codec.decode_recorded(stored) for stored in stored_events]
            )
            caught_up = len(stored_events) < self._batch_size
            position = head if caught_up else stored_events[-1].position
            await advance_checkpoint(connection, projection.name, position)
        if self._progress is not None:
            self._progress.notify()
        return BatchOutcome(applied=len(stored_events), caught_up=caught_up)
