"""What routes and handlers depend on instead of the whole bus (the bus implements both)."""

from __future__ import annotations

from typing import Protocol, TypeVar

from app.core.cqrs.messages import ICommand, IQuery
from app.core.cqrs.results import CommandResult, QueryResult

ResultT = TypeVar("ResultT")


class CommandSender(Protocol):
    async def execute_command(self, command: ICommand[ResultT]) -> CommandResult[ResultT]: ...


class QuerySender(Protocol):
    async def execute_query(self, query: IQuery[ResultT]) -> QueryResult[ResultT]: ...
