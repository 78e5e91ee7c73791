"""Bringing projections up to the head of the event log.

A pass runs batches in which every projection moves together: note the log head, then in one
transaction claim each checkpoint (skipping a projection another projector holds), read once
the events any of them still needs up to that head, let each apply those after its own
checkpoint, move the checkpoints, commit. Under a steady stream of commits a pass then costs
one transaction and one read, not one of each per projection.

Nothing at or below the head can still appear (`log_head` waits for the appends in flight, see
`app.infrastructure.events.log`), and a batch that reached the head moves a checkpoint to
it even when the last events were of types that projection ignores. When a projection fails,
its shared batch rolls back whole and the pass goes on with the same batches for one
projection at a time: the failing one stays at its last good checkpoint, is retried later and
never skips the event; the others carry on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.infrastructure.events.codec import EventCodec
from app.infrastructure.events.log import log_head, read_events
from app.infrastructure.projections.checkpoints import advance_checkpoint, claim_checkpoint
from app.infrastructure.projections.projection import Projection

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    applied: int
    busy: tuple[str, ...]  # the projections another projector holds
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

    @property
    def projections(self) -> tuple[Projection, ...]:
        return self._projections

    async def run_pass(self) -> PassOutcome:
        """Catch every projection up as far as possible; failures are logged, not raised."""
        try:
            return await self._run_batches(self._projections)
        except Exception:
            # Which projection failed, and whether the others can go on, only separate
            # transactions tell; the shared batch that failed rolled back whole.
            logger.warning(
                "a shared projection batch failed; retrying one projection at a time",
                exc_info=True,
            )
        applied = 0
        busy: list[str] = []
        failed: list[str] = []
        for projection in self._projections:
            try:
                outcome = await self._run_batches((projection,))
            except Exception:
                logger.exception("projection %s failed; it will be retried", projection.name)
                failed.append(projection.name)
                continue
            applied += outcome.applied
            busy.extend(outcome.busy)
        return PassOutcome(applied=applied, busy=tuple(busy), failed=tuple(failed))

    async def _run_batches(self, projections: Sequence[Projection]) -> PassOutcome:
        applied = 0
        while True:
            outcome = await self.run_batch(projections)
            applied += outcome.applied
            if outcome.caught_up:
                return PassOutcome(applied=applied, busy=outcome.busy, failed=())

    async def run_batch(self, projections: Sequence[Projection]) -> BatchOutcome:
        """One batch of each of `projections` this projector can claim, in one transaction."""
        head = await log_head(self._engine)
        async with self._engine.begin() as connection:
            return await self._batch(connection, projections, head)

    async def _batch(
        self, connection: AsyncConnection, projections: Sequence[Projection], head: int
    ) -> BatchOutcome:
        claimed: dict[str, int] = {}
        busy: list[str] = []
        for projection in projections:
            checkpoint = await claim_checkpoint(connection, projection.name, wait=False)
            if checkpoint is None:
                busy.append(projection.name)
            else:
                claimed[projection.name] = checkpoint
        if not claimed:
            return BatchOutcome(applied=0, busy=tuple(busy))
        behind = [p for p in projections if p.name in claimed and claimed[p.name] < head]
        if not behind:
            return BatchOutcome(applied=0, busy=tuple(busy))
        stored_events = await read_events(
            connection,
            after=min(claimed[projection.name] for projection in behind),
            up_to=head,
            event_types={name for projection in behind for name in projection.event_types},
            limit=self._batch_size,
        )
        caught_up = len(stored_events) < self._batch_size
        position = head if caught_up else stored_events[-1].position
        decoded = [self._codec.decode_recorded(stored) for stored in stored_events]
        applied = 0
        for projection in behind:
            checkpoint = claimed[projection.name]
            if position <= checkpoint:
                continue  # this batch ended before its checkpoint: nothing new for it
            batch = [
                recorded
                for recorded in decoded
                if recorded.position > checkpoint
                and recorded.event.event_type() in projection.event_types
            ]
            await projection.apply_batch(connection, batch)
            await advance_checkpoint(connection, projection.name, position)
            applied += len(batch)
        return BatchOutcome(applied=applied, busy=tuple(busy), caught_up=caught_up)
