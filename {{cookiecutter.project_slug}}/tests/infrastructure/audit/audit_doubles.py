"""Commands over the test accounts, a bus wired with the audit trail, and reading its rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.cqrs import (
    BaseCommandHandler,
    BaseQueryHandler,
    CQRSBus,
    HandlerRegistry,
    ICommand,
    IQuery,
    NotFoundError,
    current_unit_of_work,
    transactional,
)
from app.core.cqrs.events import DomainEvent
from app.infrastructure.audit.middleware import AuditMiddleware
from app.infrastructure.audit.tables import audit_log
from app.infrastructure.audit.unit_of_work import AuditedUnitOfWork, AuditedUnitOfWorkFactory
from app.infrastructure.audit.writer import AuditWriter
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.infrastructure.accounts import deposit, open_account


@dataclass(frozen=True)
class OpenAccount(ICommand[str]):
    account_id: str
    owner: str
    password: str = "s3cr3t-pw"
    then: str = "ok"  # "ok", "missing" (NotFoundError after writing), "crash" (RuntimeError)


@dataclass(frozen=True)
class OpenTwoAccounts(ICommand[None]):
    first: str
    second: str


@dataclass(frozen=True)
class Ping(ICommand[str]):
    """Not transactional: changes nothing, still audited."""

    message: str

    def validate(self) -> dict[str, str]:
        return {"message": "must not be empty"} if not self.message else {}


@dataclass(frozen=True)
class RecordNote(ICommand[None]):
    """Only records an event: a version already taken makes the commit itself fail."""

    note_id: str
    version: int


@dataclass(frozen=True, kw_only=True)
class NoteRecorded(DomainEvent):
    aggregate_version: int


@dataclass(frozen=True)
class CountAccounts(IQuery[int]):
    pass


def _uow() -> AuditedUnitOfWork:
    unit_of_work = current_unit_of_work()
    assert isinstance(unit_of_work, AuditedUnitOfWork)
    return unit_of_work


@transactional()
class OpenAccountHandler(BaseCommandHandler[OpenAccount, str]):
    async def _handle(self, command: OpenAccount) -> str:
        await open_account(_uow().inner, command.account_id, command.owner)
        await deposit(_uow().inner, command.account_id, 10)
        if command.then == "missing":
            raise NotFoundError("no such branch")
        if command.then == "crash":
            raise RuntimeError("password=hunter2 and then it broke")
        return command.account_id


@transactional()
class OpenTwoAccountsHandler(BaseCommandHandler[OpenTwoAccounts, None]):
    def __init__(self, bus: CQRSBus) -> None:
        self.bus = bus

    async def _handle(self, command: OpenTwoAccounts) -> None:
        for account_id in (command.first, command.second):
            result = await self.bus.execute_command(OpenAccount(account_id, "Ada"))
            if result.is_failure:
                raise NotFoundError(f"could not open {account_id}")


@transactional()
class RecordNoteHandler(BaseCommandHandler[RecordNote, None]):
    async def _handle(self, command: RecordNote) -> None:
        _uow().record(NoteRecorded(aggregate_id=command.note_id, aggregate_version=command.version))


class PingHandler(BaseCommandHandler[Ping, str]):
    async def _handle(self, command: Ping) -> str:
        return command.message


class CountAccountsHandler(BaseQueryHandler[CountAccounts, int]):
    async def _handle(self, query: CountAccounts) -> int:
        return 0


def audited_bus(
    write_engine: AsyncEngine,
    *,
    writer: AuditWriter | None = None,
    after_commit: Sequence[Any] = (),
) -> CQRSBus:
    registry = HandlerRegistry()
    registry.register_command_handler(OpenAccount, OpenAccountHandler)
    registry.register_command_handler(OpenTwoAccounts, OpenTwoAccountsHandler)
    registry.register_command_handler(Ping, PingHandler)
    registry.register_command_handler(RecordNote, RecordNoteHandler)
    registry.register_query_handler(CountAccounts, CountAccountsHandler)
    factory = SqlAlchemyUnitOfWorkFactory(write_engine, after_commit=after_commit)

    def build(handler_class: type[Any]) -> Any:
        return handler_class(bus) if handler_class is OpenTwoAccountsHandler else handler_class()

    bus = CQRSBus(
        registry=registry,
        handler_factory=build,
        unit_of_work_factory=AuditedUnitOfWorkFactory(factory),
    )
    bus.add_command_middleware(AuditMiddleware(writer or AuditWriter(write_engine)))
    return bus


async def audit_rows(engine: AsyncEngine) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(audit_log).order_by(audit_log.c.id))
        return [dict(row._mapping) for row in rows]
