"""A test-only aggregate, so the persistence machinery is tested without the users example.

Accounts are opened and receive deposits. The write model is `test_accounts`; the projection
keeps balances in `test_account_balances` and logs every application it makes in
`test_projection_applications`, so tests can count how often each event was applied. Its
tables live in their own metadata (they are not part of the application schema) and are
created by `account_tables`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy import Column, Integer, MetaData, String, Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.cqrs.events import DomainEvent
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWork
from app.infrastructure.events.stored import RecordedEvent
from app.infrastructure.projections.projection import Projection

test_metadata = MetaData()

accounts = Table(
    "test_accounts",
    test_metadata,
    Column("id", String(64), primary_key=True),
    Column("owner", String(100), nullable=False),
    Column("balance", Integer, nullable=False),
)

# Keyed by projection too, so tests can run several balance projections side by side.
account_balances = Table(
    "test_account_balances",
    test_metadata,
    Column("projection", String(100), primary_key=True),
    Column("account_id", String(64), primary_key=True),
    Column("owner", String(100), nullable=False),
    Column("balance", Integer, nullable=False),
    Column("deposits", Integer, nullable=False),
)

applications = Table(
    "test_projection_applications",
    test_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("projection", String(100), nullable=False),
    Column("position", Integer, nullable=False),
)


@dataclass(frozen=True, kw_only=True)
class AccountOpened(DomainEvent):
    owner: str


@dataclass(frozen=True, kw_only=True)
class FundsDeposited(DomainEvent):
    amount: int


Gate = Callable[[RecordedEvent], Awaitable[None]]


class AccountBalances(Projection):
    """Balances per account. Deliberately not idempotent on its own (`balance + amount`), so
    any double application by the machinery shows up in the numbers."""

    name: ClassVar[str] = "test_account_balances"
    handles: ClassVar[tuple[type[DomainEvent], ...]] = (AccountOpened, FundsDeposited)
    tables: ClassVar[tuple[Table, ...]] = (account_balances, applications)

    def __init__(self, gate: Gate | None = None) -> None:
        # Awaited before each event: tests block or fail the projection here.
        self.gate = gate

    async def apply(self, connection: AsyncConnection, recorded: RecordedEvent) -> None:
        if self.gate is not None:
            await self.gate(recorded)
        event = recorded.event
        if isinstance(event, AccountOpened):
            await connection.execute(
                insert(account_balances).values(
                    projection=self.name,
                    account_id=event.aggregate_id,
                    owner=event.owner,
                    balance=0,
                    deposits=0,
                )
            )
        elif isinstance(event, FundsDeposited):
            await connection.execute(
                update(account_balances)
                .where(
                    account_balances.c.projection == self.name,
                    account_balances.c.account_id == event.aggregate_id,
                )
                .values(
                    balance=account_balances.c.balance + event.amount,
                    deposits=account_balances.c.deposits + 1,
                )
            )
        await connection.execute(
            insert(applications).values(projection=self.name, position=recorded.position)
        )

    async def clear(self, connection: AsyncConnection) -> None:
        await connection.execute(
            delete(account_balances).where(account_balances.c.projection == self.name)
        )
        await connection.execute(delete(applications).where(applications.c.projection == self.name))


async def create_account_tables(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(test_metadata.create_all)


async def open_account(unit_of_work: SqlAlchemyUnitOfWork, account_id: str, owner: str) -> None:
    """What a handler would do: change the write model and record the event."""
    connection = await unit_of_work.connection()
    await connection.execute(insert(accounts).values(id=account_id, owner=owner, balance=0))
    unit_of_work.record(AccountOpened(aggregate_id=account_id, owner=owner))


async def deposit(unit_of_work: SqlAlchemyUnitOfWork, account_id: str, amount: int) -> None:
    connection = await unit_of_work.connection()
    await connection.execute(
        update(accounts)
        .where(accounts.c.id == account_id)
        .values(balance=accounts.c.balance + amount)
    )
    unit_of_work.record(FundsDeposited(aggregate_id=account_id, amount=amount))


async def balances(
    engine: AsyncEngine, projection: str = AccountBalances.name
) -> dict[str, tuple[int, int]]:
    """The read model: account -> (balance, deposits)."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(
                account_balances.c.account_id,
                account_balances.c.balance,
                account_balances.c.deposits,
            ).where(account_balances.c.projection == projection)
        )
        return {account_id: (balance, deposits) for account_id, balance, deposits in rows}


async def application_counts(
    engine: AsyncEngine, projection: str = AccountBalances.name
) -> dict[int, int]:
    """How many times each position was applied by a balances projection."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(applications.c.position).where(applications.c.projection == projection)
        )
        counts: dict[int, int] = {}
        for (position,) in rows:
            counts[position] = counts.get(position, 0) + 1
        return counts
