"""The base of every projection."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from sqlalchemy import Table, delete
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.cqrs.events import DomainEvent
from app.infrastructure.events.stored import RecordedEvent


class Projection(ABC):
    """Keeps one read model up to date from the events it subscribes to.

    `apply` runs inside the transaction that also moves the projection's checkpoint, so an
    event is applied exactly once per checkpoint advance; keep it to SQL on `connection` (no
    other side effects) and it is safe to cancel, retry and replay. `tables` are the read-model
    tables this projection alone writes; a rebuild empties them and replays the log.
    """

    name: ClassVar[str]
    handles: ClassVar[tuple[type[DomainEvent], ...]]
    tables: ClassVar[tuple[Table, ...]]

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(event_class.event_type() for event_class in self.handles)

    @abstractmethod
    async def apply(self, connection: AsyncConnection, recorded: RecordedEvent) -> None:
        """Change the read model for one event."""

    async def apply_batch(
        self, connection: AsyncConnection, batch: Sequence[RecordedEvent]
    ) -> None:
        """Change the read model for consecutive events, oldest first.

        Projectors hand over whole batches; override this to send fewer statements for them
        (several rows to one executemany, say), keeping the effect of applying them in order.
        """
        for recorded in batch:
            await self.apply(connection, recorded)

    async def clear(self, connection: AsyncConnection) -> None:
        """Empty the read model (before a rebuild)."""
        for table in reversed(self.tables):
            await connection.execute(delete(table))
