"""Results: what the bus returns for every command and query, success or not.

A failed operation is a result with a status and `errors` (field name -> message; problems
that belong to no field are under `NON_FIELD_ERRORS`), never an exception.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, NoReturn, TypedDict, TypeVar

# Covariant, so a CommandResult[int] is an OperationResult[object]: `data` is set when the
# result is built and never reassigned.
T_co = TypeVar("T_co", covariant=True)

NON_FIELD_ERRORS = "non_field_errors"


class _NoErrors(Mapping[str, str]):
    """The shared, read-only, empty `errors` of every successful result."""

    __slots__ = ()

    def __getitem__(self, key: str) -> NoReturn:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"


NO_ERRORS: Mapping[str, str] = _NoErrors()


class OperationStatus(StrEnum):
    SUCCESS = "success"
    VALIDATION_ERROR = "validation_error"
    UNAUTHENTICATED = "unauthenticated"
    UNAUTHORIZED = "unauthorized"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    TIMEOUT = "timeout"
    UNAVAILABLE = "unavailable"
    FAILED = "failed"


class CacheInfo(TypedDict):
    """How a query result relates to the query cache.

    `backend` is None when no cache is configured; `key` and `ttl` are None for queries
    whose handler is not cached at all.
    """

    hit: bool
    key: str | None
    ttl: int | None
    backend: str | None


@dataclass(slots=True)
class OperationResult(Generic[T_co]):
    status: OperationStatus
    data: T_co | None = None
    errors: Mapping[str, str] = field(default=NO_ERRORS, kw_only=True)
    # The message's metadata.operation_id, when the message has metadata.
    operation_id: str | None = field(default=None, kw_only=True)

    @property
    def is_success(self) -> bool:
        return self.status is OperationStatus.SUCCESS

    @property
    def is_failure(self) -> bool:
        return self.status is not OperationStatus.SUCCESS


@dataclass(slots=True)
class CommandResult(OperationResult[T_co]):
    affected_entities: dict[str, Any] | None = field(default=None, kw_only=True)
    # Position of the command's last event in the event log: a query can wait for read
    # models to reach it (read-your-writes).
    event_position: int | None = field(default=None, kw_only=True)


@dataclass(slots=True)
class QueryResult(OperationResult[T_co]):
    pagination: dict[str, Any] | None = field(default=None, kw_only=True)
    cache_info: CacheInfo | None = field(default=None, kw_only=True)
