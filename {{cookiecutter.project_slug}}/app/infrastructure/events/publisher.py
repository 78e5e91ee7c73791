"""The default `EventPublisher`: events go into the open unit of work, not onto a wire.

They reach the event log in the same transaction as the state they describe, and subscribers
only after the commit, so nobody hears of a change that was rolled back.
"""

from __future__ import annotations

from app.core.cqrs.events import DomainEvent
from app.infrastructure.db.active_unit_of_work import active_unit_of_work


class UnitOfWorkEventPublisher:
    async def publish(self, *events: DomainEvent) -> None:
        active_unit_of_work().record(*events)
