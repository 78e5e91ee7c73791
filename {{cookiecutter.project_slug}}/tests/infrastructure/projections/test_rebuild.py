from __future__ import annotations

import pytest
from sqlalchemy import update

from app.infrastructure.projections.catch_up import ProjectionCatchUp
from app.infrastructure.projections.rebuild import main, rebuild_by_name, rebuild_projection
from tests.infrastructure.accounts import (
    AccountBalances,
    account_balances,
    application_counts,
    balances,
)
from tests.infrastructure.projections.history import deposit_committed, write_history
from tests.support.projections import read_checkpoints


async def test_a_rebuild_equals_the_incrementally_built_read_model(factory, database):
    catch_up = ProjectionCatchUp(database.write, [AccountBalances()], batch_size=2)
    await write_history(factory)
    await catch_up.run_pass()
    await deposit_committed(factory, "a2", 4)
    await catch_up.run_pass()
    incremental = await balances(database.read)

    applied = await rebuild_projection(database.write, AccountBalances(), batch_size=2)

    assert applied == 6
    assert await balances(database.read) == incremental == {"a1": (15, 2), "a2": (5, 2)}
    assert set((await application_counts(database.read)).values()) == {1}
    async with database.read.connect() as connection:
        assert await read_checkpoints(connection, [AccountBalances.name]) == {
            AccountBalances.name: 6
        }


async def test_a_rebuild_replaces_a_damaged_read_model(factory, database):
    await write_history(factory)
    await ProjectionCatchUp(database.write, [AccountBalances()]).run_pass()
    async with database.write.begin() as connection:
        await connection.execute(update(account_balances).values(balance=999))

    await rebuild_projection(database.write, AccountBalances())

    assert await balances(database.read) == {"a1": (15, 2), "a2": (1, 1)}


async def test_after_a_rebuild_catching_up_continues_from_the_head(factory, database):
    await write_history(factory)
    await rebuild_projection(database.write, AccountBalances())
    await deposit_committed(factory, "a1", 1)

    outcome = await ProjectionCatchUp(database.write, [AccountBalances()]).run_pass()

    assert outcome.applied == 1
    assert await balances(database.read) == {"a1": (16, 3), "a2": (1, 1)}


async def test_rebuilding_an_unknown_projection_names_the_installed_ones(database):
    with pytest.raises(LookupError, match=r"no projection named 'nope' \(installed: "):
        await rebuild_by_name(database.write, "nope", [AccountBalances()])


def test_the_command_line_refuses_unknown_projections(capsys):
    assert main(["no-such-projection"]) == 2
    assert "unknown projection(s): no-such-projection" in capsys.readouterr().err


def test_the_command_line_needs_a_name_or_all():
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
