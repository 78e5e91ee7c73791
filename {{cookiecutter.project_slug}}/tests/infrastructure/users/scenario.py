"""Users written the way command handlers will: through the repository in a unit of work."""

from __future__ import annotations

from uuid import UUID

from app.domain.users.roles import UserRole
from app.domain.users.user import User
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.projections.catch_up import ProjectionCatchUp
from app.infrastructure.users.projections import projections
from app.infrastructure.users.write_repository import UserWriteRepository
from tests.support.database import Database

repository = UserWriteRepository()


async def register(
    factory: SqlAlchemyUnitOfWorkFactory,
    email: str,
    *,
    role: UserRole = UserRole.USER,
    full_name: str = "Someone",
) -> User:
    async with await factory.begin() as unit_of_work:
        user, created = User.register(
            email=email,
            username=email.split("@")[0],
            full_name=full_name,
            hashed_password="hash",
            role=role,
        )
        await repository.add(user)
        unit_of_work.record(created)
        await unit_of_work.commit()
    return user


async def change(factory: SqlAlchemyUnitOfWorkFactory, user_id: UUID, **changes: object) -> None:
    """Update, deactivate (`deactivate=True`) or delete (`delete=True`) a user."""
    async with await factory.begin() as unit_of_work:
        user = await repository.get(user_id, for_update=True)
        assert user is not None
        loaded = user.version
        if changes.pop("delete", False):
            unit_of_work.record(user.delete())
            await repository.delete(user_id, expected_version=loaded)
        else:
            deactivate = changes.pop("deactivate", False)
            event = user.deactivate() if deactivate else user.update(**changes)  # type: ignore[arg-type]
            assert event is not None
            unit_of_work.record(event)
            await repository.save(user, expected_version=loaded)
        await unit_of_work.commit()


async def project(database: Database) -> None:
    outcome = await ProjectionCatchUp(database.write, projections()).run_pass()
    assert outcome.complete
