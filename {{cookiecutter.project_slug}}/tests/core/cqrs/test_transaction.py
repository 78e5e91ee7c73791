from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pytest

from app.core.cqrs import (
    BaseCommandHandler,
    CommandResult,
    ConflictError,
    CQRSBus,
    HandlerRegistry,
    ICommand,
    NotFoundError,
    OperationStatus,
    current_unit_of_work,
    require_unit_of_work,
    transactional,
)
from app.core.cqrs.options import TransactionOptions
from app.core.cqrs.transaction import TransactionStep
from tests.core.cqrs.doubles import InMemoryStore, RecordingUnitOfWork, SomethingHappened


class BusinessRuleViolation(Exception):
    pass


@dataclass(frozen=True)
class Put(ICommand[str]):
    key: str
    fail_with: Exception | None = None
    events: int = 0


def _unit() -> RecordingUnitOfWork:
    unit = require_unit_of_work()
    assert isinstance(unit, RecordingUnitOfWork)
    return unit


@transactional(isolation_level="SERIALIZABLE", rollback_on=[BusinessRuleViolation, NotFoundError])
class PutHandler(BaseCommandHandler[Put, str]):
    async def _handle(self, command: Put) -> str:
        unit = _unit()
        unit.write(command.key, "value")
        unit.record(*(SomethingHappened(aggregate_id=command.key) for _ in range(command.events)))
        if command.fail_with is not None:
            raise command.fail_with
        return command.key


@pytest.fixture
def bus(registry: HandlerRegistry, store: InMemoryStore) -> CQRSBus:
    registry.register_command_handler(Put, PutHandler)
    return CQRSBus(registry=registry, unit_of_work_factory=store)


async def test_a_successful_handler_commits_its_writes_and_reports_its_event_position(
    bus: CQRSBus, store: InMemoryStore
) -> None:
    result = await bus.execute_command(Put("k", events=2))
    assert result.status is OperationStatus.SUCCESS
    assert store.committed == {"k": "value"}
    assert store.log == ["begin", "commit"]
    assert store.units[0].isolation_level == "SERIALIZABLE"
    assert result.event_position == 2
    assert current_unit_of_work() is None


async def test_a_failing_handler_is_rolled_back_and_leaves_no_partial_write(
    bus: CQRSBus, store: InMemoryStore
) -> None:
    result = await bus.execute_command(Put("k", fail_with=RuntimeError("half-way")))
    assert result.status is OperationStatus.FAILED
    assert store.log == ["begin", "rollback"]
    assert store.committed == {}


async def test_rollback_on_exceptions_are_expected_outcomes_reported_without_an_error_log(
    bus: CQRSBus, store: InMemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    violated = await bus.execute_command(Put("k", fail_with=BusinessRuleViolation("Too many")))
    missing = await bus.execute_command(Put("k", fail_with=NotFoundError("No such list")))
    assert (violated.status, violated.errors) == (
        OperationStatus.CONFLICT,
        {"non_field_errors": "Too many"},
    )
    assert missing.status is OperationStatus.NOT_FOUND
    assert store.log == ["begin", "rollback", "begin", "rollback"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_failed_commit_is_rolled_back_and_reported_as_failed(
    bus: CQRSBus, store: InMemoryStore
) -> None:
    store.fail_commit = ConnectionError("connection lost")
    result = await bus.execute_command(Put("k"))
    assert result.status is OperationStatus.FAILED
    assert store.log == ["begin", "commit", "rollback"]
    assert store.committed == {}


async def test_a_failing_rollback_does_not_hide_the_error_that_caused_it(
    bus: CQRSBus, store: InMemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    store.fail_rollback = ConnectionError("gone")
    result = await bus.execute_command(Put("k", fail_with=ConflictError("Taken")))
    assert result.status is OperationStatus.CONFLICT
    assert "Rolling back a unit of work failed" in caplog.text


async def test_a_failed_result_from_inside_the_transaction_is_rolled_back(
    store: InMemoryStore,
) -> None:
    async def refuse(message: Any) -> CommandResult[Any]:
        return CommandResult(OperationStatus.CONFLICT)

    step = TransactionStep(refuse, store, TransactionOptions(), CommandResult)
    assert (await step(Put("k"))).status is OperationStatus.CONFLICT
    assert store.log == ["begin", "rollback"]


async def test_without_a_unit_of_work_factory_the_handler_runs_without_a_transaction(
    registry: HandlerRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[object] = []

    @transactional()
    class Peek(BaseCommandHandler[Put, str]):
        async def _handle(self, command: Put) -> str:
            seen.append(current_unit_of_work())
            return command.key

    registry.register_command_handler(Put, Peek)
    result = await CQRSBus(registry=registry).execute_command(Put("k"))
    assert (result.status, seen) == (OperationStatus.SUCCESS, [None])
    assert "runs without a transaction" in caplog.text


async def test_a_nested_transactional_dispatch_joins_the_outer_transaction(
    registry: HandlerRegistry, store: InMemoryStore
) -> None:
    @dataclass(frozen=True)
    class PutTwo(ICommand[None]):
        pass

    @transactional()
    class PutTwoHandler(BaseCommandHandler[PutTwo, None]):
        def __init__(self, bus: CQRSBus) -> None:
            self.bus = bus

        async def _handle(self, command: PutTwo) -> None:
            _unit().write("outer", 1)
            inner = await self.bus.execute_command(Put("inner"))
            assert inner.is_success

    registry.register_command_handler(Put, PutHandler)
    registry.register_command_handler(PutTwo, PutTwoHandler)
    bus: CQRSBus

    def build(handler_class: type[Any]) -> Any:
        return handler_class(bus) if handler_class is PutTwoHandler else handler_class()

    bus = CQRSBus(registry=registry, unit_of_work_factory=store, handler_factory=build)
    await bus.execute_command(PutTwo())
    assert store.log == ["begin", "commit"]
    assert store.committed == {"outer": 1, "inner": "value"}
