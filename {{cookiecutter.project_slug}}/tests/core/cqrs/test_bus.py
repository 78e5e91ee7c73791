from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pytest

from app.core.cqrs import (
    NON_FIELD_ERRORS,
    AuthenticationRequiredError,
    BaseCommandHandler,
    BaseQueryHandler,
    CommandSender,
    ConcurrencyConflictError,
    ConflictError,
    CQRSBus,
    CQRSConfigurationError,
    EventPublisher,
    HandlerNotFoundError,
    HandlerRegistry,
    ICommand,
    IQuery,
    NoActiveUnitOfWorkError,
    NotFoundError,
    OperationError,
    OperationStatus,
    PermissionDeniedError,
    QuerySender,
    ServiceUnavailableError,
    ValidationError,
    current_unit_of_work,
    transactional,
)
from tests.core.cqrs.doubles import InMemoryStore, RecordingUnitOfWork, SomethingHappened


@dataclass(frozen=True)
class Fail(ICommand[None]):
    error: Exception


class FailHandler(BaseCommandHandler[Fail, None]):
    async def _handle(self, command: Fail) -> None:
        raise command.error


@dataclass(frozen=True)
class Save(ICommand[str]):
    key: str
    value: int

    def validate(self) -> dict[str, str]:
        return {"value": "Must be positive"} if self.value < 1 else {}


@transactional()
class SaveHandler(BaseCommandHandler[Save, str]):
    def __init__(self, events: list[str]) -> None:
        self.events = events

    async def _handle(self, command: Save) -> str:
        unit = current_unit_of_work()
        assert isinstance(unit, RecordingUnitOfWork)
        unit.write(command.key, command.value)
        self.events.append(f"saved {command.key}")
        return command.key


@dataclass(frozen=True)
class Echo(IQuery[str]):
    text: str


class EchoHandler(BaseQueryHandler[Echo, str]):
    async def _handle(self, query: Echo) -> str:
        return query.text


@pytest.fixture
def bus(registry: HandlerRegistry, store: InMemoryStore) -> CQRSBus:
    registry.register_command_handler(Fail, FailHandler)
    registry.register_command_handler(Save, SaveHandler)
    registry.register_query_handler(Echo, EchoHandler)
    events: list[str] = []

    def build(handler_class: type[Any]) -> Any:
        return handler_class(events) if handler_class is SaveHandler else handler_class()

    return CQRSBus(registry=registry, unit_of_work_factory=store, handler_factory=build)


async def test_commands_and_queries_reach_their_handlers(bus: CQRSBus) -> None:
    saved = await bus.execute_command(Save(key="a", value=1))
    echoed = await bus.execute_query(Echo(text="hi"))
    assert (saved.status, saved.data) == (OperationStatus.SUCCESS, "a")
    assert (echoed.status, echoed.data) == (OperationStatus.SUCCESS, "hi")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ValidationError({"key": "taken"}), OperationStatus.VALIDATION_ERROR),
        (AuthenticationRequiredError(), OperationStatus.UNAUTHENTICATED),
        (PermissionDeniedError(), OperationStatus.UNAUTHORIZED),
        (NotFoundError(), OperationStatus.NOT_FOUND),
        (ConflictError(), OperationStatus.CONFLICT),
        (ConcurrencyConflictError(), OperationStatus.CONFLICT),
        (ServiceUnavailableError(), OperationStatus.UNAVAILABLE),
        (TimeoutError(), OperationStatus.TIMEOUT),
        (OperationError(), OperationStatus.FAILED),
        (RuntimeError("boom"), OperationStatus.FAILED),
    ],
)
async def test_an_exception_from_a_handler_becomes_a_result_with_its_status(
    bus: CQRSBus, error: Exception, status: OperationStatus
) -> None:
    result = await bus.execute_command(Fail(error))
    assert result.status is status
    assert result.data is None


async def test_an_unexpected_exception_is_logged_with_its_traceback_and_never_shown(
    bus: CQRSBus, caplog: pytest.LogCaptureFixture
) -> None:
    result = await bus.execute_command(Fail(RuntimeError("secret connection string")))
    assert "secret" not in str(result.errors)
    assert result.errors == {NON_FIELD_ERRORS: "The operation failed unexpectedly"}
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None
    assert record.exc_info[0] is RuntimeError


async def test_a_wrongly_typed_or_invalid_command_fails_validation_without_side_effects(
    bus: CQRSBus, store: InMemoryStore
) -> None:
    wrong_types = await bus.execute_command(Save(key=1, value="x"))  # type: ignore[arg-type]
    invalid = await bus.execute_command(Save(key="k", value=0))
    assert wrong_types.status is OperationStatus.VALIDATION_ERROR
    assert set(wrong_types.errors) == {"key", "value"}
    assert invalid.errors == {"value": "Must be positive"}
    assert store.log == []  # no transaction was even begun


async def test_a_message_without_a_handler_is_a_usage_error(bus: CQRSBus) -> None:
    @dataclass
    class Orphan(ICommand[None]):
        pass

    with pytest.raises(HandlerNotFoundError, match="Orphan"):
        await bus.execute_command(Orphan())
    with pytest.raises(HandlerNotFoundError):
        await bus.execute_command(Echo(text="a query sent as a command"))  # type: ignore[arg-type]


async def test_each_handler_is_built_once_per_bus_by_its_factory(registry: HandlerRegistry) -> None:
    registry.register_query_handler(Echo, EchoHandler)
    built: list[type] = []

    def factory(cls: type[Any]) -> Any:
        built.append(cls)
        return cls()

    bus = CQRSBus(registry=registry, handler_factory=factory)
    for text in "abc":
        await bus.execute_query(Echo(text=text))
    await CQRSBus(registry=registry, handler_factory=factory).execute_query(Echo(text="d"))
    assert built == [EchoHandler, EchoHandler]


async def test_a_handler_the_factory_cannot_build_is_a_usage_error(
    registry: HandlerRegistry,
) -> None:
    registry.register_command_handler(Save, SaveHandler)  # needs an argument
    with pytest.raises(CQRSConfigurationError, match="SaveHandler"):
        await CQRSBus(registry=registry).execute_command(Save(key="k", value=1))


async def test_buses_are_isolated_from_each_other(registry: HandlerRegistry) -> None:
    registry.register_query_handler(Echo, EchoHandler)
    seen: list[str] = []

    async def spy(operation: Any, next_handler: Any) -> Any:
        seen.append(operation.text)
        return await next_handler()

    spied = CQRSBus(registry=registry)
    spied.add_query_middleware(spy)
    await CQRSBus(registry=registry).execute_query(Echo(text="plain"))
    await spied.execute_query(Echo(text="spied"))
    assert seen == ["spied"]
    with pytest.raises(HandlerNotFoundError):
        await CQRSBus(registry=HandlerRegistry()).execute_query(Echo(text="x"))


async def test_results_carry_the_operation_id_of_messages_that_have_metadata(
    bus: CQRSBus,
) -> None:
    query = Echo(text="hi")
    query.metadata.correlation_id = "req-1"
    assert (await bus.execute_query(query)).operation_id == query.metadata.operation_id
    assert (await bus.execute_query(Echo(text="hi"))).operation_id is None


async def test_published_events_go_into_the_running_unit_of_work(
    registry: HandlerRegistry, store: InMemoryStore
) -> None:
    @dataclass
    class Announce(ICommand[None]):
        pass

    @transactional()
    class AnnounceHandler(BaseCommandHandler[Announce, None]):
        def __init__(self, publisher: EventPublisher) -> None:
            self.publisher = publisher

        async def _handle(self, command: Announce) -> None:
            await self.publisher.publish(SomethingHappened(aggregate_id="a1", detail="hello"))

    registry.register_command_handler(Announce, AnnounceHandler)
    bus: CQRSBus

    def factory(cls: type[Any]) -> Any:
        return cls(bus)

    bus = CQRSBus(registry=registry, unit_of_work_factory=store, handler_factory=factory)
    result = await bus.execute_command(Announce())
    [event] = store.units[0].events
    assert (event.aggregate_id, event.payload()) == ("a1", {"detail": "hello"})
    assert result.event_position == 1


async def test_publishing_outside_a_transaction_is_a_usage_error(bus: CQRSBus) -> None:
    with pytest.raises(NoActiveUnitOfWorkError):
        await bus.publish(SomethingHappened(aggregate_id="a1"))


def test_the_bus_is_a_command_sender_a_query_sender_and_an_event_publisher(bus: CQRSBus) -> None:
    senders: tuple[CommandSender, QuerySender, EventPublisher] = (bus, bus, bus)
    assert all(sender is bus for sender in senders)


def test_building_all_pipelines_up_front_surfaces_wiring_errors_at_start_up(
    registry: HandlerRegistry,
) -> None:
    registry.register_query_handler(Echo, EchoHandler)
    built: list[type] = []

    def build(handler_class: type[Any]) -> Any:
        built.append(handler_class)
        return handler_class()

    CQRSBus(registry=registry, handler_factory=build).build_pipelines()
    assert built == [EchoHandler]
    registry.register_command_handler(Save, SaveHandler)  # cannot be built without arguments
    with pytest.raises(CQRSConfigurationError, match="SaveHandler"):
        CQRSBus(registry=registry).build_pipelines()
