from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from app.domain.users.roles import UserRole
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.projections.installed import installed_projections
from app.infrastructure.projections.rebuild import rebuild_projection
from app.infrastructure.users.projections import projections
from app.infrastructure.users.tables import user_stats, user_stats_members, user_view
from tests.infrastructure.users.scenario import change, project, register
from tests.support.database import PROJECT_ROOT, Database


@pytest.fixture
def factory(database) -> SqlAlchemyUnitOfWorkFactory:
    return SqlAlchemyUnitOfWorkFactory(database.write)


async def read_models(database: Database) -> dict[str, list[tuple[object, ...]]]:
    async with database.read.connect() as connection:
        return {
            table.name: sorted(
                (tuple(row) for row in await connection.execute(select(table))), key=repr
            )
            for table in (user_view, user_stats, user_stats_members)
        }


async def busy_history(factory) -> None:
    ada = await register(factory, "ada@example.com", role=UserRole.ADMIN)
    bob = await register(factory, "bob@example.com")
    cy = await register(factory, "cy@example.com")
    await change(factory, bob.id, full_name="Robert", role=UserRole.ADMIN)
    await change(factory, cy.id, deactivate=True)
    await change(factory, ada.id, delete=True)
    await register(factory, "dee@example.com")


def test_the_users_projections_are_installed():
    names = {projection.name for projection in installed_projections()}
    assert {"user_view", "user_stats"} <= names


async def test_rebuilding_the_users_read_models_equals_building_them_incrementally(
    factory, database
):
    await register(factory, "early@example.com")
    await project(database)
    await busy_history(factory)
    await project(database)
    incremental = await read_models(database)

    for projection in projections():
        await rebuild_projection(database.write, projection)

    assert await read_models(database) == incremental
    assert len(incremental["user_view"]) == 4


def run_cli(database: Database, *args: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"DATABASE_URL": database.url}
    return subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "app.infrastructure.projections.rebuild", *args],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_rebuild_command_restores_read_models_from_the_log(factory, database):
    await busy_history(factory)
    await project(database)
    expected = await read_models(database)
    async with database.write.begin() as connection:
        for table in (user_view, user_stats, user_stats_members):
            await connection.execute(table.delete())

    listed = await asyncio.to_thread(run_cli, database, "--list")
    rebuilt = await asyncio.to_thread(run_cli, database, "user_view", "user_stats")

    assert listed.returncode == 0
    assert {"user_view", "user_stats"} <= set(listed.stdout.split())
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "rebuilt user_view: 7 events applied" in rebuilt.stdout
    assert await read_models(database) == expected
