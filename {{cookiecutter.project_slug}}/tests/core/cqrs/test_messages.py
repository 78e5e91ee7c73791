from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass
from datetime import UTC

import pytest

from app.core.cqrs import ICommand, IQuery, OperationMetadata
from tests.core.cqrs.doubles import User


@dataclass(frozen=True, slots=True)
class RenameUser(ICommand[None]):
    user_id: str
    full_name: str

    def get_aggregate_id(self) -> str:
        return self.user_id


@dataclass
class FindUsers(IQuery[list[str]]):
    role: str | None = None
    page: int = 1


class PlainCommand(ICommand):  # type: ignore[type-arg]  # unparameterised, as in the guide
    def __init__(self, name: str) -> None:
        self.name = name


def test_metadata_is_created_on_first_use_and_is_mutable_on_a_frozen_slotted_message() -> None:
    command = RenameUser(user_id="u1", full_name="Ann")
    command.metadata.user_id = "u1"
    command.metadata.principal = User("u1")
    assert command.metadata.user_id == "u1"
    assert command.metadata.principal == User("u1")
    with pytest.raises(FrozenInstanceError):
        command.full_name = "Bob"  # type: ignore[misc]


def test_each_message_gets_its_own_metadata_with_a_fresh_id_and_an_aware_timestamp() -> None:
    first, second = FindUsers(), FindUsers()
    assert first.metadata is not second.metadata
    assert first.metadata.operation_id != second.metadata.operation_id
    assert first.metadata.timestamp.tzinfo is UTC


def test_metadata_does_not_take_part_in_equality_or_repr() -> None:
    command = RenameUser(user_id="u1", full_name="Ann")
    command.metadata.correlation_id = "req-1"
    assert command == RenameUser(user_id="u1", full_name="Ann")
    assert "req-1" not in repr(command)


def test_metadata_has_room_for_context_beyond_its_fields() -> None:
    metadata = OperationMetadata(causation_id="op-1")
    metadata.attributes["tenant"] = "acme"
    assert (metadata.causation_id, metadata.attributes) == ("op-1", {"tenant": "acme"})


def test_an_unparameterised_class_with_its_own_init_is_a_command() -> None:
    command = PlainCommand("x")
    command.metadata.user_id = "u9"
    assert (command.name, command.metadata.user_id) == ("x", "u9")
    assert command.validate() == {}
    assert command.get_aggregate_id() is None


def test_messages_name_themselves_and_only_commands_have_a_command_name() -> None:
    assert RenameUser.get_command_name() == "RenameUser"
    assert FindUsers().get_query_name() == "FindUsers"
    # The guide's metrics middleware tells the kinds apart this way.
    assert not hasattr(FindUsers(), "get_command_name")
    assert RenameUser("u1", "Ann").get_aggregate_id() == "u1"


def test_queries_have_a_default_cache_key_from_their_fields_ttl_and_no_tags() -> None:
    assert FindUsers(role="admin", page=2).get_cache_key() == "role='admin':page=2"
    assert FindUsers().get_cache_key() != FindUsers(page=2).get_cache_key()
    assert FindUsers().get_cache_ttl() == 300
    assert list(FindUsers().get_cache_tags()) == []
