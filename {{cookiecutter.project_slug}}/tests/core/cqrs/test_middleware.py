from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import pytest

from app.core.cqrs import (
    BaseCommandHandler,
    BaseQueryHandler,
    BusMiddleware,
    CQRSBus,
    CQRSConfigurationError,
    HandlerRegistry,
    ICommand,
    IQuery,
    Message,
    MessageKind,
    NextHandler,
    OperationResult,
    OperationStatus,
)

ResultT = TypeVar("ResultT", bound=OperationResult[Any])


@dataclass(frozen=True)
class Step(ICommand[str]):
    name: str


@dataclass(frozen=True)
class Peek(IQuery[str]):
    name: str


class StepHandler(BaseCommandHandler[Step, str]):
    def __init__(self, log: list[str]) -> None:
        self.log = log

    async def _handle(self, command: Step) -> str:
        self.log.append(f"handler {command.name}")
        if command.name == "explode":
            raise RuntimeError("exploded")
        return command.name


class PeekHandler(BaseQueryHandler[Peek, str]):
    async def _handle(self, query: Peek) -> str:
        await asyncio.sleep(0)  # let concurrent dispatches interleave
        return query.name


class Recorder(BusMiddleware):
    """A class middleware; applies to commands and queries by default."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name, self.log = name, log

    async def __call__(self, operation: Message, next_handler: NextHandler[ResultT]) -> ResultT:
        self.log.append(f"{self.name} before")
        result = await next_handler()
        self.log.append(f"{self.name} after")
        return result


class QueriesOnly(Recorder):
    applies_to: ClassVar[frozenset[MessageKind]] = frozenset({MessageKind.QUERY})


@pytest.fixture
def log() -> list[str]:
    return []


@pytest.fixture
def bus(registry: HandlerRegistry, log: list[str]) -> CQRSBus:
    registry.register_command_handler(Step, StepHandler)
    registry.register_query_handler(Peek, PeekHandler)

    def build(handler_class: type[Any]) -> Any:
        return handler_class(log) if handler_class is StepHandler else handler_class()

    return CQRSBus(registry=registry, handler_factory=build)


async def test_middlewares_run_around_the_handler_in_the_order_added(
    bus: CQRSBus, log: list[str]
) -> None:
    async def outer(operation: Any, next_handler: Any) -> Any:  # the guide's signature
        log.append(f"outer before {operation.name}")
        result = await next_handler()
        log.append("outer after")
        return result

    bus.add_command_middleware(outer)
    bus.add_command_middleware(Recorder("inner", log))
    await bus.execute_command(Step("s1"))
    assert log == ["outer before s1", "inner before", "handler s1", "inner after", "outer after"]


async def test_a_middleware_added_after_dispatch_applies_from_the_next_call(
    bus: CQRSBus, log: list[str]
) -> None:
    await bus.execute_command(Step("first"))
    bus.add_command_middleware(Recorder("late", log))
    await bus.execute_command(Step("second"))
    assert log == ["handler first", "late before", "handler second", "late after"]


async def test_middlewares_see_handler_exceptions_and_the_caller_still_gets_a_result(
    bus: CQRSBus, log: list[str]
) -> None:
    async def audit(operation: Any, next_handler: Any) -> Any:
        try:
            return await next_handler()
        except RuntimeError as exc:
            log.append(f"audit saw {exc}")
            raise

    bus.add_command_middleware(audit)
    result = await bus.execute_command(Step("explode"))
    assert result.status is OperationStatus.FAILED
    assert log == ["handler explode", "audit saw exploded"]


async def test_a_middleware_may_call_next_handler_more_than_once(
    bus: CQRSBus, log: list[str]
) -> None:
    async def twice(operation: Any, next_handler: Any) -> Any:
        await next_handler()
        return await next_handler()

    bus.add_command_middleware(twice)
    assert (await bus.execute_command(Step("again"))).data == "again"
    assert log == ["handler again", "handler again"]


async def test_concurrent_and_nested_dispatches_each_see_their_own_operation(
    registry: HandlerRegistry, bus: CQRSBus
) -> None:
    seen: list[str] = []

    async def remember(operation: Any, next_handler: Any) -> Any:
        await asyncio.sleep(0)
        result = await next_handler()
        seen.append(operation.name)
        return result

    bus.add_query_middleware(remember)
    bus.add_query_middleware(remember)
    results = await asyncio.gather(*(bus.execute_query(Peek(name)) for name in "abc"))
    assert [r.data for r in results] == ["a", "b", "c"]
    assert sorted(seen) == ["a", "a", "b", "b", "c", "c"]


async def test_class_middlewares_apply_to_the_kinds_they_declare(
    bus: CQRSBus, log: list[str]
) -> None:
    bus.add_middleware(QueriesOnly("queries", log))
    bus.add_middleware(Recorder("both", log))
    await bus.execute_command(Step("c"))
    await bus.execute_query(Peek("q"))
    assert log == [
        *("both before", "handler c", "both after"),
        *("queries before", "both before", "both after", "queries after"),
    ]


def test_a_middleware_cannot_be_added_for_a_kind_it_does_not_apply_to(
    bus: CQRSBus, log: list[str]
) -> None:
    with pytest.raises(CQRSConfigurationError, match="QueriesOnly"):
        bus.add_command_middleware(QueriesOnly("queries", log))
