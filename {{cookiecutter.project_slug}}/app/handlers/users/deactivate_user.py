"""DeactivateUser: keep the user's record but stop them signing in (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.core.cqrs import (
    BaseCommandHandler,
    ConcurrencyConflictError,
    EventPublisher,
    ICommand,
    command_handler,
    retry_on_failure,
    transactional,
)
from app.handlers.users.locking import user_to_change
from app.infrastructure.users.write_repository import UserWriteRepository


@dataclass(frozen=True, slots=True)
class DeactivateUser(ICommand[None]):
    user_id: UUID

    def get_aggregate_id(self) -> str:
        return str(self.user_id)


@command_handler(DeactivateUser)
@transactional()
@retry_on_failure(retry_on=[ConcurrencyConflictError])
class DeactivateUserHandler(BaseCommandHandler[DeactivateUser, None]):
    def __init__(
        self, user_write_repository: UserWriteRepository, event_publisher: EventPublisher
    ) -> None:
        self._users = user_write_repository
        self._events = event_publisher

    async def _handle(self, command: DeactivateUser) -> None:
        user, loaded_version = await user_to_change(self._users, command.user_id)
        deactivated = user.deactivate()
        if deactivated is not None:
            await self._users.save(user, expected_version=loaded_version)
            await self._events.publish(deactivated)
