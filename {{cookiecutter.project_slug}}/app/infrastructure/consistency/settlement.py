"""Settling writes: read models projected, then the cache entries they invalidate dropped.

A committed command's events reach the read models a moment later, when the in-process
projection runner next catches up. Invalidating cache tags at commit would leave a window in
which a concurrent query reads the not-yet-projected read model and caches the old data for a
whole TTL. So tags are invalidated once the projections have caught up past the commit, by
the same pass that projected it.

Callers that want read-your-writes (the API, after every command) open `tracking()` around the
command and then `await ticket.wait(timeout)`: it returns once everything the command committed
is projected and its tags are invalidated, or False when the timeout passes first.

Wiring: the hook (`WriteSettlement` itself) runs after each commit and must come before the
projection runner's hook; `SettlingCatchUp` is the catch-up the runner drives. On shutdown,
`SettlingCatchUp.quiesce` lets queued commits settle and the pass under way finish, so the
runner is stopped between passes rather than cancelled inside a transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.cqrs.events import DomainEvent
from app.core.cqrs.ports import QueryCache
from app.infrastructure.cache.invalidation import InvalidationRuleError, TagRules
from app.infrastructure.projections.catch_up import PassOutcome, ProjectionCatchUp
from app.infrastructure.projections.projection import Projection

logger = logging.getLogger(__name__)


class SettlementTicket:
    """What one caller waits on: every commit made while it was being tracked."""

    __slots__ = ("_done", "_outstanding")

    def __init__(self) -> None:
        self._outstanding = 0
        self._done: asyncio.Event | None = None

    @property
    def settled(self) -> bool:
        return self._outstanding == 0

    async def wait(self, timeout_seconds: float) -> bool:
        """True once settled; False if `timeout_seconds` pass first."""
        if self.settled:
            return True
        if self._done is None:
            self._done = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_seconds):
                await self._done.wait()
        return self.settled

    def _add(self) -> None:
        self._outstanding += 1

    def _release(self) -> None:
        self._outstanding -= 1
        if self._outstanding == 0 and self._done is not None:
            self._done.set()


@dataclass(slots=True)
class _Commit:
    tags: tuple[str, ...]
    ticket: SettlementTicket | None = field(default=None)


_tracking: ContextVar[SettlementTicket | None] = ContextVar("settlement_ticket", default=None)


class WriteSettlement:
    """The after-commit hook that queues each commit until the projections have caught up."""

    def __init__(self, cache: QueryCache, rules: TagRules) -> None:
        self._cache = cache
        self._rules = rules
        self._pending: list[_Commit] = []

    @contextlib.contextmanager
    def tracking(self) -> Iterator[SettlementTicket]:
        """Track the commits made inside the block (in this task) on one ticket."""
        ticket = SettlementTicket()
        token = _tracking.set(ticket)
        try:
            yield ticket
        finally:
            _tracking.reset(token)

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        # Nothing here awaits: the commit is queued before the projection runner (the next
        # hook) can start a pass, so that pass is sure to settle it.
        if not events:
            return
        errors: list[InvalidationRuleError] = []
        tags = self._rules.tags_for(events, errors=errors)
        for error in errors:
            logger.error("%s", error, exc_info=error.__cause__)
        ticket = _tracking.get()
        if ticket is not None:
            ticket._add()
        self._pending.append(_Commit(tags, ticket))

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def take_pending(self) -> list[_Commit]:
        pending, self._pending = self._pending, []
        return pending

    def put_back(self, commits: list[_Commit]) -> None:
        self._pending[:0] = commits

    async def settle(self, commits: list[_Commit]) -> None:
        """The commits are projected: drop their cache entries, then release their waiters."""
        tags = tuple(dict.fromkeys(tag for commit in commits for tag in commit.tags))
        try:
            if tags:
                await self._cache.invalidate_tags(tags)
        except Exception:
            logger.exception("invalidating %d cache tag(s) failed", len(tags))
        for commit in commits:
            if commit.ticket is not None:
                commit.ticket._release()


class SettlingCatchUp(ProjectionCatchUp):
    """A catch-up whose every complete pass settles the commits queued before it began."""

    def __init__(
        self,
        engine: AsyncEngine,
        projections: Sequence[Projection],
        *,
        settlement: WriteSettlement,
    ) -> None:
        super().__init__(engine, projections)
        self._settlement = settlement
        self._passing = False
        self._pass_ended = asyncio.Event()

    async def run_pass(self) -> PassOutcome:
        self._passing = True
        try:
            return await self._settling_pass()
        finally:
            self._passing = False
            self._pass_ended.set()
            self._pass_ended = asyncio.Event()

    async def quiesce(self, timeout_seconds: float) -> bool:
        """Wait until no commit awaits settling and no pass is under way; False on timeout.

        Returns with no pass running (when True), so stopping the runner right after,
        without awaiting anything in between, cannot interrupt one.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_seconds
        while self._passing or self._settlement.has_pending:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self._pass_ended.wait()
        return True

    async def _settling_pass(self) -> PassOutcome:
        # Taken before the pass reads the log head: each of these commits is at or below it.
        commits = self._settlement.take_pending()
        try:
            outcome = await super().run_pass()
        except BaseException:
            self._settlement.put_back(commits)
            raise
        if outcome.complete:
            await self._settlement.settle(commits)
        else:
            self._settlement.put_back(commits)
        return outcome
