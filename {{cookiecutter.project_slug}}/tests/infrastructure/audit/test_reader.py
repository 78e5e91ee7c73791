from __future__ import annotations

import pytest

from app.infrastructure.audit.reader import AuditTrailReader
from tests.infrastructure.audit.audit_doubles import Ping, audited_bus
from tests.support.database import Database


async def run_pings(database: Database, users: list[str]) -> None:
    bus = audited_bus(database.write)
    for number, user_id in enumerate(users):
        command = Ping(f"ping {number}")
        command.metadata.user_id = user_id
        await bus.execute_command(command)


async def test_pages_list_the_newest_first_and_count_everything(database):
    await run_pings(database, ["u1", "u2", "u1", "u3", "u1"])
    reader = AuditTrailReader(database.read)

    first = await reader.page(page=1, page_size=2)
    last = await reader.page(page=3, page_size=2)

    assert [item.payload["message"] for item in first.items] == ["ping 4", "ping 3"]
    assert [item.payload["message"] for item in last.items] == ["ping 0"]
    assert (first.total_count, first.page, first.page_size) == (5, 1, 2)


async def test_filtering_by_user_counts_only_that_users_commands(database):
    await run_pings(database, ["u1", "u2", "u1"])

    page = await AuditTrailReader(database.read).page(user_id="u1")

    assert [item.payload["message"] for item in page.items] == ["ping 2", "ping 0"]
    assert page.total_count == 2


async def test_filtering_by_command_name(database):
    await run_pings(database, ["u1"])
    reader = AuditTrailReader(database.read)

    assert (await reader.page(command_name="Ping")).total_count == 1
    assert (await reader.page(command_name="OpenAccount")).total_count == 0


@pytest.mark.parametrize(("page", "page_size"), [(0, 10), (1, 0)])
async def test_pages_start_at_one(database, page, page_size):
    with pytest.raises(ValueError, match="start at 1"):
        await AuditTrailReader(database.read).page(page=page, page_size=page_size)
