"""A tiny command and query set for testing bus middlewares: each outcome on demand."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.core.cqrs import (
    BaseCommandHandler,
    BaseQueryHandler,
    CQRSBus,
    HandlerRegistry,
    ICommand,
    IQuery,
    NotFoundError,
)


@dataclass(frozen=True)
class Rename(ICommand[str]):
    """`outcome`: "ok", "missing" (NotFoundError), "crash" (RuntimeError), "slow" (timeout)."""

    user_id: str
    full_name: str
    outcome: str = "ok"

    def validate(self) -> dict[str, str]:
        return {"full_name": "must not be empty"} if not self.full_name else {}


@dataclass(frozen=True)
class Lookup(IQuery[str]):
    user_id: str
    outcome: str = "ok"


async def _act(outcome: str, value: str) -> str:
    if outcome == "missing":
        raise NotFoundError(f"no user {value}")
    if outcome == "crash":
        raise RuntimeError("password=hunter2 leaked into an exception")
    if outcome == "slow":
        await asyncio.sleep(1)
    return value


class RenameHandler(BaseCommandHandler[Rename, str]):
    async def _handle(self, command: Rename) -> str:
        return await _act(command.outcome, command.full_name)


class LookupHandler(BaseQueryHandler[Lookup, str]):
    async def _handle(self, query: Lookup) -> str:
        return await _act(query.outcome, query.user_id)


def operations_bus() -> CQRSBus:
    registry = HandlerRegistry()
    registry.register_command_handler(Rename, RenameHandler, timeout_seconds=0.05)
    registry.register_query_handler(Lookup, LookupHandler)
    return CQRSBus(registry=registry)
