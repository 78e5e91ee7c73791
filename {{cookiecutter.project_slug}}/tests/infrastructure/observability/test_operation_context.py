from __future__ import annotations

from dataclasses import dataclass, field

from app.core.cqrs import (
    BaseCommandHandler,
    CQRSBus,
    HandlerRegistry,
    ICommand,
    OperationMetadata,
)
from app.infrastructure.observability.operation_context import OperationContextMiddleware
from app.infrastructure.observability.request_context import (
    RequestIds,
    bind_request_ids,
    current_operation_id,
    unbind_request_ids,
)


@dataclass(frozen=True)
class Note(ICommand[None]):
    text: str


@dataclass(frozen=True)
class NoteTwice(ICommand[None]):
    text: str


@dataclass
class Seen:
    metadata: list[OperationMetadata] = field(default_factory=list)
    operation_ids: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class FakePrincipal:
    user_id: str
    permissions: frozenset[str] = frozenset()
    is_admin: bool = False


def build_bus(seen: Seen) -> CQRSBus:
    registry = HandlerRegistry()

    class NoteHandler(BaseCommandHandler[Note, None]):
        async def _handle(self, command: Note) -> None:
            seen.metadata.append(command.metadata)
            seen.operation_ids.append(current_operation_id())

    class NoteTwiceHandler(BaseCommandHandler[NoteTwice, None]):
        async def _handle(self, command: NoteTwice) -> None:
            seen.operation_ids.append(current_operation_id())
            await bus.execute_command(Note(command.text))

    registry.register_command_handler(Note, NoteHandler)
    registry.register_command_handler(NoteTwice, NoteTwiceHandler)
    bus = CQRSBus(registry=registry)
    bus.add_middleware(OperationContextMiddleware())
    return bus


async def test_an_operation_takes_the_correlation_id_of_the_request_serving_it():
    seen = Seen()
    token = bind_request_ids(RequestIds(request_id="req-1", correlation_id="corr-1"))
    try:
        await build_bus(seen).execute_command(Note("hi"))
    finally:
        unbind_request_ids(token)

    assert seen.metadata[0].correlation_id == "corr-1"


async def test_a_correlation_id_set_by_the_caller_is_kept():
    seen = Seen()
    command = Note("hi")
    command.metadata.correlation_id = "from-caller"
    token = bind_request_ids(RequestIds(request_id="req-1", correlation_id="corr-1"))
    try:
        await build_bus(seen).execute_command(command)
    finally:
        unbind_request_ids(token)

    assert seen.metadata[0].correlation_id == "from-caller"


async def test_the_user_id_comes_from_the_principal_when_unset():
    seen = Seen()
    command = Note("hi")
    command.metadata.principal = FakePrincipal(user_id="u-42")

    await build_bus(seen).execute_command(command)

    assert seen.metadata[0].user_id == "u-42"


async def test_the_operation_id_is_bound_while_the_handler_runs_and_released_after():
    seen = Seen()
    command = Note("hi")

    result = await build_bus(seen).execute_command(command)

    assert seen.operation_ids == [command.metadata.operation_id]
    assert result.operation_id == command.metadata.operation_id
    assert current_operation_id() is None


async def test_an_operation_dispatched_inside_another_names_it_as_its_cause():
    seen = Seen()
    outer = NoteTwice("hi")

    await build_bus(seen).execute_command(outer)

    inner_metadata = seen.metadata[0]
    assert inner_metadata.causation_id == outer.metadata.operation_id
    assert seen.operation_ids == [outer.metadata.operation_id, inner_metadata.operation_id]
