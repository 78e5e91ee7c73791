"""Messages: commands (intentions to change state) and queries (requests for data).

Write them as dataclasses, frozen if you like (`slots=True` works too)::

    @dataclass(frozen=True)
    class RenameUser(ICommand[None]):
        user_id: str
        full_name: str

The type argument names what the handler returns, so `await bus.execute_command(cmd)` is typed
`CommandResult[None]` here; a bare `class X(ICommand)` is allowed and types the result as `Any`.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from app.core.cqrs.ports import Principal

ResultT_co = TypeVar("ResultT_co", covariant=True)


class MessageKind(StrEnum):
    COMMAND = "command"
    QUERY = "query"


def _new_operation_id() -> str:
    return str(uuid.uuid4())


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True, kw_only=True)
class OperationMetadata:
    """Who asked for an operation, when, and how it relates to others.

    Created on first access to `message.metadata`, so `timestamp` is when the metadata was
    first attached (normally by the API layer, right after it built the message).
    """

    operation_id: str = field(default_factory=_new_operation_id)
    correlation_id: str | None = None
    causation_id: str | None = None
    user_id: str | None = None
    principal: Principal | None = None
    timestamp: datetime = field(default_factory=_now)
    attributes: dict[str, Any] = field(default_factory=dict)


class Message:
    """What commands and queries share: metadata, validation, a name.

    `metadata` is reserved: a message cannot have a field of that name.
    """

    message_kind: ClassVar[MessageKind]

    # A class-level default keeps the common case (no metadata asked for) free: an instance
    # gets its own value only when `metadata` is first read.
    _metadata: OperationMetadata | None = None

    @property
    def metadata(self) -> OperationMetadata:
        metadata = self._metadata
        if metadata is None:
            metadata = OperationMetadata()
            # object.__setattr__ because the message may be a frozen dataclass.
            object.__setattr__(self, "_metadata", metadata)
        return metadata

    def validate(self) -> dict[str, str]:
        """Business-rule checks: field name -> message. Field types are checked before this."""
        return {}

    def get_aggregate_id(self) -> str | None:
        """The id of the entity this message is about, if any."""
        return None

    @classmethod
    def message_name(cls) -> str:
        return cls.__name__


class ICommand(Message, Generic[ResultT_co]):
    """An intention to change state, handled by exactly one command handler."""

    message_kind: ClassVar[MessageKind] = MessageKind.COMMAND

    @classmethod
    def get_command_name(cls) -> str:
        return cls.__name__


class IQuery(Message, Generic[ResultT_co]):
    """A request for data, handled by exactly one query handler and never changing state."""

    message_kind: ClassVar[MessageKind] = MessageKind.QUERY

    @classmethod
    def get_query_name(cls) -> str:
        return cls.__name__

    def get_cache_key(self) -> str:
        """The part of the cache key that tells one query of this type from another.

        The cache prefixes it with the query class's module and name. The default lists every
        field.
        """
        if dataclasses.is_dataclass(self):
            values = ((f.name, getattr(self, f.name)) for f in dataclasses.fields(self))
        else:
            values = ((k, v) for k, v in sorted(vars(self).items()) if not k.startswith("_"))
        return ":".join(f"{name}={value!r}" for name, value in values)

    def get_cache_ttl(self) -> int:
        """Seconds a cached result stays fresh, unless `@cached_query(ttl_seconds=...)` says."""
        return 300

    def get_cache_tags(self) -> Sequence[str]:
        """Tags stored with the cached result; invalidating a tag drops every entry that has it."""
        return ()
