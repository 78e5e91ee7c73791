"""DeleteUser: remove a user for good."""

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
class DeleteUser(ICommand[None]):
    user_id: UUID

    def get_aggregate_id(self) -> str:
        return str(self.user_id)


@command_handler(DeleteUser)
@transactional()
@retry_on_failure(retry_on=[ConcurrencyConflictError])
class DeleteUserHandler(BaseCommandHandler[DeleteUser, None]):
    def __init__(
        self, user_write_repository: UserWriteRepository, event_publisher: EventPublisher
    ) -> None:
        self._users = user_write_repository
        self._events = event_publisher

    async def _handle(self, command: DeleteUser) -> None:
        user, loaded_version = await user_to_change(self._users, command.user_id)
        deleted = user.delete()
        await self._users.delete(user.id, expected_version=loaded_version)
        await self._events.publish(deleted)
