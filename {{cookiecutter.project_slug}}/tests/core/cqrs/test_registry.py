from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.cqrs import (
    BaseCommandHandler,
    BaseQueryHandler,
    CQRSBus,
    CQRSConfigurationError,
    DuplicateHandlerError,
    HandlerNotFoundError,
    HandlerRegistry,
    ICommand,
    IQuery,
    MessageKind,
    command_handler,
    default_registry,
    query_handler,
    register_command_handler,
)


@dataclass
class Ping(ICommand[str]):
    pass


@dataclass
class Lookup(IQuery[str]):
    pass


class PingHandler(BaseCommandHandler[Ping, str]):
    async def _handle(self, command: Ping) -> str:
        return "first"


class OtherPingHandler(BaseCommandHandler[Ping, str]):
    async def _handle(self, command: Ping) -> str:
        return "second"


class LookupHandler(BaseQueryHandler[Lookup, str]):
    async def _handle(self, query: Lookup) -> str:
        return "found"


def test_decorators_register_into_the_registry_they_are_given(registry: HandlerRegistry) -> None:
    command_handler(Ping, timeout_seconds=2.5, registry=registry)(PingHandler)
    query_handler(Lookup, cache_enabled=False, registry=registry)(LookupHandler)
    command = registry.registration_for(MessageKind.COMMAND, Ping, allow_override=False)
    query = registry.registration_for(MessageKind.QUERY, Lookup, allow_override=False)
    assert (command.handler_class, command.timeout_seconds) == (PingHandler, 2.5)
    assert (query.handler_class, query.cache_enabled) == (LookupHandler, False)
    assert registry.get_handler_count() == {"commands": 1, "queries": 1, "total": 2}


def test_registries_are_isolated_from_each_other_and_from_the_default(
    registry: HandlerRegistry,
) -> None:
    registry.register_command_handler(Ping, PingHandler)
    assert HandlerRegistry().get_handler_count()["total"] == 0
    with pytest.raises(HandlerNotFoundError):
        default_registry().registration_for(MessageKind.COMMAND, Ping, allow_override=False)


def test_registering_the_same_class_twice_is_harmless(registry: HandlerRegistry) -> None:
    registry.register_command_handler(Ping, PingHandler)
    registry.register_command_handler(Ping, PingHandler)
    CQRSBus(registry=registry)  # no conflict
    assert registry.get_handler_count()["commands"] == 1


@pytest.fixture
def handler_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    source = """
        from app.core.cqrs import BaseCommandHandler, command_handler
        from tests.core.cqrs.test_registry import Ping, shared_registry

        @command_handler(Ping, registry=shared_registry)
        class ReimportedHandler(BaseCommandHandler[Ping, str]):
            async def _handle(self, command: Ping) -> str:
                return "reimported"
    """
    (tmp_path / "reimported_handlers.py").write_text(textwrap.dedent(source))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "reimported_handlers"
    sys.modules.pop("reimported_handlers", None)


shared_registry = HandlerRegistry()


async def test_reimporting_a_handler_module_replaces_its_handler_without_conflict(
    handler_module: str,
) -> None:
    first = importlib.import_module(handler_module)
    second = importlib.reload(first)
    assert first is second
    registration = shared_registry.registration_for(MessageKind.COMMAND, Ping, allow_override=False)
    assert registration.handler_class is second.ReimportedHandler
    assert (await CQRSBus(registry=shared_registry).execute_command(Ping())).data == "reimported"


def test_a_second_handler_for_one_message_type_is_refused_naming_both(
    registry: HandlerRegistry,
) -> None:
    registry.register_command_handler(Ping, PingHandler)
    registry.register_command_handler(Ping, OtherPingHandler)
    with pytest.raises(DuplicateHandlerError, match=r"PingHandler.*OtherPingHandler"):
        CQRSBus(registry=registry)


async def test_a_conflict_registered_after_the_bus_was_built_is_refused_at_dispatch(
    registry: HandlerRegistry,
) -> None:
    bus = CQRSBus(registry=registry)
    registry.register_command_handler(Ping, PingHandler)
    registry.register_command_handler(Ping, OtherPingHandler)
    with pytest.raises(DuplicateHandlerError):
        await bus.execute_command(Ping())


async def test_with_override_allowed_the_last_registered_handler_wins(
    registry: HandlerRegistry,
) -> None:
    registry.register_command_handler(Ping, PingHandler)
    registry.register_command_handler(Ping, OtherPingHandler)
    bus = CQRSBus(registry=registry, allow_handler_override=True)
    assert (await bus.execute_command(Ping())).data == "second"
    assert bus.get_handler_count() == {"commands": 1, "queries": 0, "total": 1}


@pytest.mark.parametrize(
    ("message_type", "handler_class"),
    [(Lookup, PingHandler), (Ping, LookupHandler), (int, PingHandler), (Ping, object)],
)
def test_a_command_registration_needs_a_command_type_and_a_command_handler(
    registry: HandlerRegistry, message_type: type, handler_class: type
) -> None:
    with pytest.raises(CQRSConfigurationError):
        registry.register_command_handler(message_type, handler_class)


def test_a_query_registration_needs_a_query_type_and_a_query_handler(
    registry: HandlerRegistry,
) -> None:
    with pytest.raises(CQRSConfigurationError):
        registry.register_query_handler(Ping, LookupHandler)  # type: ignore[arg-type]
    with pytest.raises(CQRSConfigurationError):
        registry.register_query_handler(Lookup, PingHandler)  # type: ignore[arg-type]


@pytest.mark.parametrize("timeout", [0, -1.0])
def test_a_timeout_must_be_positive(registry: HandlerRegistry, timeout: float) -> None:
    with pytest.raises(CQRSConfigurationError):
        register_command_handler(Ping, PingHandler, timeout_seconds=timeout, registry=registry)
