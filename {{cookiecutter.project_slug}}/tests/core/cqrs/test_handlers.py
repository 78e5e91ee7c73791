from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.cqrs import (
    BaseCommandHandler,
    BaseQueryHandler,
    ConflictError,
    ICommand,
    IQuery,
    OperationStatus,
    cached_query,
)


@dataclass(frozen=True)
class Register(ICommand[str]):
    email: str

    def validate(self) -> dict[str, str]:
        return {} if "@" in self.email else {"email": "Valid email is required"}


class RegisterHandler(BaseCommandHandler[Register, str]):
    def __init__(self) -> None:
        self.emails: list[str] = []

    async def _handle(self, command: Register) -> str:
        if command.email in self.emails:
            raise ConflictError("Email already in use")
        self.emails.append(command.email)
        return f"user-{len(self.emails)}"

    async def _get_affected_entities(self, command: Register, result: str) -> dict[str, Any]:
        return {"created": {"user": {"id": result, "email": command.email}}}


@dataclass(frozen=True)
class ListNames(IQuery[list[str]]):
    page: int = 1


class ListNamesHandler(BaseQueryHandler[ListNames, list[str]]):
    async def _handle(self, query: ListNames) -> list[str]:
        return ["ann", "bob"]

    async def _get_pagination_info(self, query: ListNames, result: list[str]) -> dict[str, Any]:
        return {"page": query.page, "total_count": len(result)}


@cached_query(ttl_seconds=60)
class CachedListNamesHandler(ListNamesHandler):
    pass


async def test_a_command_handler_alone_returns_its_data_and_affected_entities() -> None:
    result = await RegisterHandler().handle(Register("a@b.c"))
    assert result.status is OperationStatus.SUCCESS
    assert result.data == "user-1"
    assert result.affected_entities == {"created": {"user": {"id": "user-1", "email": "a@b.c"}}}


async def test_a_command_handler_alone_validates_before_it_runs() -> None:
    handler = RegisterHandler()
    result = await handler.handle(Register("nope"))
    assert result.status is OperationStatus.VALIDATION_ERROR
    assert result.errors == {"email": "Valid email is required"}
    assert handler.emails == []


async def test_a_command_handler_alone_maps_domain_errors_to_their_status() -> None:
    handler = RegisterHandler()
    await handler.handle(Register("a@b.c"))
    result = await handler.handle(Register("a@b.c"))
    assert result.status is OperationStatus.CONFLICT
    assert result.errors == {"non_field_errors": "Email already in use"}


async def test_a_query_handler_alone_returns_data_and_pagination_and_no_cache_info() -> None:
    result = await ListNamesHandler().handle(ListNames(page=2))
    assert (result.data, result.pagination) == (["ann", "bob"], {"page": 2, "total_count": 2})
    assert result.cache_info is None


async def test_a_cached_query_handler_alone_says_it_was_not_served_from_a_cache() -> None:
    result = await CachedListNamesHandler().handle(ListNames(page=2))
    assert result.cache_info == {
        "hit": False,
        "key": "tests.core.cqrs.test_handlers.ListNames:page=2",
        "ttl": 60,
        "backend": None,
    }
