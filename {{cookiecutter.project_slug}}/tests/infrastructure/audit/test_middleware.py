from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest
from sqlalchemy import select

from app.core.cqrs import OperationStatus
from app.core.cqrs.events import DomainEvent
from app.infrastructure.audit.writer import AuditWriter
from app.infrastructure.db.engines import create_write_engine
from app.infrastructure.observability.redaction import REDACTED
from tests.infrastructure.accounts import accounts, create_account_tables
from tests.infrastructure.audit.audit_doubles import (
    CountAccounts,
    OpenAccount,
    OpenTwoAccounts,
    Ping,
    RecordNote,
    audit_rows,
    audited_bus,
)
from tests.support.database import Database, settings_for


@pytest.fixture
async def db(database: Database) -> Database:
    await create_account_tables(database.write)
    return database


async def account_ids(database: Database) -> list[str]:
    async with database.read.connect() as connection:
        return sorted((await connection.execute(select(accounts.c.id))).scalars())


async def test_a_successful_command_is_recorded_with_who_what_when_and_how_long(db):
    bus = audited_bus(db.write)
    command = OpenAccount("a1", "Ada")
    command.metadata.user_id = "u-7"
    command.metadata.correlation_id = "corr-7"

    result = await bus.execute_command(command)

    assert result.is_success
    [row] = await audit_rows(db.read)
    assert row["command_name"] == "OpenAccount"
    assert row["operation_id"] == command.metadata.operation_id
    assert (row["correlation_id"], row["user_id"]) == ("corr-7", "u-7")
    assert row["status"] == "success"
    assert row["duration_ms"] > 0
    assert row["occurred_at"].tzinfo is not None
    assert row["errors"] is None


async def test_the_recorded_payload_has_its_secrets_redacted(db):
    await audited_bus(db.write).execute_command(OpenAccount("a1", "Ada", password="hunter2"))

    [row] = await audit_rows(db.read)
    assert row["payload"] == {
        "account_id": "a1",
        "owner": "Ada",
        "password": REDACTED,
        "then": "ok",
    }
    assert "hunter2" not in str(row)


async def test_a_successful_commands_row_is_committed_in_its_own_transaction(db):
    seen_at_commit: list[int] = []

    async def count_rows_after_commit(_events: Sequence[DomainEvent]) -> None:
        seen_at_commit.append(len(await audit_rows(db.read)))

    bus = audited_bus(db.write, after_commit=[count_rows_after_commit])
    await bus.execute_command(OpenAccount("a1", "Ada"))

    # The row was already there when the command's transaction had just committed.
    assert seen_at_commit == [1]
    assert len(await audit_rows(db.read)) == 1


async def test_a_failed_command_leaves_no_change_but_is_still_recorded(db):
    result = await audited_bus(db.write).execute_command(OpenAccount("a1", "Ada", then="missing"))

    assert result.status is OperationStatus.NOT_FOUND
    assert await account_ids(db) == []
    [row] = await audit_rows(db.read)
    assert row["status"] == "not_found"
    assert row["errors"] == {"non_field_errors": "no such branch"}


async def test_an_unexpected_exception_is_recorded_by_its_type_without_its_message(db):
    result = await audited_bus(db.write).execute_command(OpenAccount("a1", "Ada", then="crash"))

    assert result.status is OperationStatus.FAILED
    assert await account_ids(db) == []
    [row] = await audit_rows(db.read)
    assert (row["status"], row["errors"]) == ("failed", {"exception": "RuntimeError"})


async def test_a_command_whose_write_conflicts_is_recorded_as_failed(db):
    bus = audited_bus(db.write)
    await bus.execute_command(OpenAccount("a1", "Ada"))

    # Same account again: the INSERT conflicts with the committed row.
    result = await bus.execute_command(OpenAccount("a1", "Grace"))

    assert result.is_failure
    rows = await audit_rows(db.read)
    assert [row["status"] for row in rows] == ["success", result.status.value]


async def test_a_command_whose_commit_fails_is_recorded_once_as_failed_not_as_success(db):
    bus = audited_bus(db.write)
    assert (await bus.execute_command(RecordNote("n1", version=1))).is_success

    # Version 1 is taken: the event append fails inside COMMIT, after the audit row was added.
    second = RecordNote("n1", version=1)
    result = await bus.execute_command(second)

    assert result.is_failure
    rows = await audit_rows(db.read)
    assert [row["status"] for row in rows] == ["success", result.status.value]
    assert rows[1]["operation_id"] == second.metadata.operation_id
    assert rows[1]["errors"]


async def test_a_command_rejected_by_validation_is_recorded(db):
    result = await audited_bus(db.write).execute_command(Ping(""))

    assert result.status is OperationStatus.VALIDATION_ERROR
    [row] = await audit_rows(db.read)
    assert (row["status"], row["errors"]) == ("validation_error", {"message": "must not be empty"})


async def test_a_command_without_a_transaction_is_recorded_too(db):
    await audited_bus(db.write).execute_command(Ping("hello"))

    [row] = await audit_rows(db.read)
    assert (row["command_name"], row["status"]) == ("Ping", "success")


async def test_commands_dispatched_inside_a_transaction_are_recorded_with_it(db):
    outer = OpenTwoAccounts("a1", "a2")

    result = await audited_bus(db.write).execute_command(outer)

    assert result.is_success
    assert await account_ids(db) == ["a1", "a2"]
    rows = await audit_rows(db.read)
    assert [(row["command_name"], row["status"]) for row in rows] == [
        ("OpenTwoAccounts", "success"),
        ("OpenAccount", "success"),
        ("OpenAccount", "success"),
    ]


async def test_when_the_outer_command_fails_its_nested_commands_are_recorded_too(db):
    bus = audited_bus(db.write)
    await bus.execute_command(OpenAccount("a2", "Ada"))

    result = await bus.execute_command(OpenTwoAccounts("a1", "a2"))

    assert result.status is OperationStatus.NOT_FOUND
    assert await account_ids(db) == ["a2"], "a1 was rolled back with the outer command"
    rows = await audit_rows(db.read)
    assert [(row["command_name"], row["status"]) for row in rows][1:] == [
        ("OpenTwoAccounts", "not_found"),
        ("OpenAccount", "success"),
        ("OpenAccount", rows[-1]["status"]),
    ]
    assert rows[-1]["status"] != "success"


async def test_queries_are_not_audited(db):
    await audited_bus(db.write).execute_query(CountAccounts())

    assert await audit_rows(db.read) == []


async def test_when_the_audit_row_cannot_be_written_the_caller_still_gets_the_result(
    db, tmp_path, caplog
):
    # A database without the audit table stands in for one that is down.
    elsewhere = create_write_engine(settings_for(f"sqlite+aiosqlite:///{tmp_path / 'other.db'}"))
    try:
        bus = audited_bus(db.write, writer=AuditWriter(elsewhere))
        with caplog.at_level(logging.ERROR, logger="app.infrastructure.audit.writer"):
            result = await bus.execute_command(Ping("hello"))
    finally:
        await elsewhere.dispose()

    assert result.is_success
    [record] = caplog.records
    assert record.audit_rows[0]["command_name"] == "Ping"
