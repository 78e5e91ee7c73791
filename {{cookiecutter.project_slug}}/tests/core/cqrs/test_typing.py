"""The typing contract, checked by mypy --strict in the normal type-check step.

`assert_type` does nothing at run time; mypy fails the build if a type below drifts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, assert_type

from app.core.cqrs import (
    BaseCommandHandler,
    BaseQueryHandler,
    CommandResult,
    CommandSender,
    CQRSBus,
    HandlerRegistry,
    ICommand,
    IQuery,
    QueryResult,
    QuerySender,
    command_handler,
    query_handler,
)

registry = HandlerRegistry()


@dataclass(frozen=True, slots=True)
class CreateNote(ICommand[int]):
    text: str


@dataclass(frozen=True)
class GetNotes(IQuery[list[str]]):
    page: int = 1


@dataclass
class Untyped(ICommand):  # type: ignore[type-arg]  # as the guide writes it
    pass


@command_handler(CreateNote, registry=registry)
class CreateNoteHandler(BaseCommandHandler[CreateNote, int]):
    async def _handle(self, command: CreateNote) -> int:
        return len(command.text)


@query_handler(GetNotes, registry=registry)
class GetNotesHandler(BaseQueryHandler[GetNotes, list[str]]):
    async def _handle(self, query: GetNotes) -> list[str]:
        return ["note"]


@command_handler(Untyped, registry=registry)
class UntypedHandler(BaseCommandHandler[Untyped, None]):
    async def _handle(self, command: Untyped) -> None:
        return None


async def test_results_are_typed_by_what_the_message_says_its_handler_returns() -> None:
    bus = CQRSBus(registry=registry)
    created = await bus.execute_command(CreateNote("hello"))
    notes = await bus.execute_query(GetNotes())
    untyped = await bus.execute_command(Untyped())
    assert_type(created, CommandResult[int])
    assert_type(created.data, int | None)
    assert_type(notes, QueryResult[list[str]])
    assert_type(untyped, CommandResult[Any])
    assert (created.data, notes.data, untyped.data) == (5, ["note"], None)


async def test_routes_can_depend_on_the_narrow_sender_protocols() -> None:
    sender: CommandSender = CQRSBus(registry=registry)
    reader: QuerySender = CQRSBus(registry=registry)
    assert_type(await sender.execute_command(CreateNote("x")), CommandResult[int])
    assert_type(await reader.execute_query(GetNotes()), QueryResult[list[str]])


async def test_a_handler_alone_is_typed_too() -> None:
    result = await CreateNoteHandler().handle(CreateNote("abc"))
    assert_type(result, CommandResult[int])
    assert result.data == 3
