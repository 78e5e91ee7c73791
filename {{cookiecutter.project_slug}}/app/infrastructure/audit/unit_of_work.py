"""A unit of work that writes the running command's audit rows just before it commits.

Wraps the SQLAlchemy unit of work (give the bus `AuditedUnitOfWorkFactory(factory)` instead of
the factory itself); the rows are inserted in the command's own transaction. The `@transactional`
step commits only a successful result, so the rows written here record a success; if the commit
then fails, everything, rows included, rolls back and the audit middleware records the failure
on its own.
"""

from __future__ import annotations

from sqlalchemy import insert

from app.core.cqrs import IsolationLevel, OperationStatus
from app.core.cqrs.events import DomainEvent
from app.infrastructure.audit.scope import current_audit_scope
from app.infrastructure.audit.tables import audit_log
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWork, SqlAlchemyUnitOfWorkFactory

_insert = insert(audit_log)


class AuditedUnitOfWork:
    def __init__(self, inner: SqlAlchemyUnitOfWork) -> None:
        self.inner = inner

    def record(self, *events: DomainEvent) -> None:
        self.inner.record(*events)

    @property
    def last_event_position(self) -> int | None:
        return self.inner.last_event_position

    async def commit(self) -> None:
        scope = current_audit_scope()
        if scope is None or scope.written:
            await self.inner.commit()
            return
        scope.owner.finish(OperationStatus.SUCCESS)
        connection = await self.inner.connection()
        await connection.execute(_insert, [entry.row() for entry in scope.entries])
        await self.inner.commit()
        scope.written = True

    async def rollback(self) -> None:
        await self.inner.rollback()


class AuditedUnitOfWorkFactory:
    def __init__(self, inner: SqlAlchemyUnitOfWorkFactory) -> None:
        self.inner = inner

    async def begin(self, *, isolation_level: IsolationLevel | None = None) -> AuditedUnitOfWork:
        return AuditedUnitOfWork(await self.inner.begin(isolation_level=isolation_level))
