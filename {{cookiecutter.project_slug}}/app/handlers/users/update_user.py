"""UpdateUser: change some of a user's details; returns the user as it now is."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.core.cqrs import (
    NON_FIELD_ERRORS,
    BaseCommandHandler,
    ConcurrencyConflictError,
    EventPublisher,
    ICommand,
    command_handler,
    retry_on_failure,
    transactional,
)
from app.domain.users.user import User
from app.handlers.users.create_user import EmailTakenError
from app.handlers.users.locking import user_to_change
from app.handlers.users.validation import (
    MAX_FULL_NAME_LENGTH,
    MAX_USERNAME_LENGTH,
    email_problem,
    text_problem,
)
from app.infrastructure.users.read_models import UserView
from app.infrastructure.users.write_repository import UserWriteRepository


@dataclass(frozen=True, slots=True)
class UpdateUser(ICommand[UserView]):
    user_id: UUID
    email: str | None = None
    username: str | None = None
    full_name: str | None = None
    hashed_password: str | None = None

    def get_aggregate_id(self) -> str:
        return str(self.user_id)

    def validate(self) -> dict[str, str]:
        problems: dict[str, str | None] = {}
        if self.email is not None:
            problems["email"] = email_problem(self.email)
        if self.username is not None:
            problems["username"] = text_problem(self.username, max_length=MAX_USERNAME_LENGTH)
        if self.full_name is not None:
            problems["full_name"] = text_problem(self.full_name, max_length=MAX_FULL_NAME_LENGTH)
        if self.hashed_password is not None:
            problems["hashed_password"] = text_problem(self.hashed_password, max_length=255)
        changes = (self.email, self.username, self.full_name, self.hashed_password)
        if all(change is None for change in changes):
            problems[NON_FIELD_ERRORS] = "Give at least one field to change"
        return {field: problem for field, problem in problems.items() if problem}


@command_handler(UpdateUser)
@transactional()
@retry_on_failure(retry_on=[ConcurrencyConflictError])
class UpdateUserHandler(BaseCommandHandler[UpdateUser, UserView]):
    def __init__(
        self, user_write_repository: UserWriteRepository, event_publisher: EventPublisher
    ) -> None:
        self._users = user_write_repository
        self._events = event_publisher

    async def _handle(self, command: UpdateUser) -> UserView:
        user, loaded_version = await user_to_change(self._users, command.user_id)
        if command.email is not None:
            owner = await self._users.get_by_email(command.email)
            if owner is not None and owner.id != user.id:
                raise EmailTakenError()
        updated = user.update(
            email=command.email,
            username=command.username.strip() if command.username is not None else None,
            full_name=command.full_name.strip() if command.full_name is not None else None,
            hashed_password=command.hashed_password,
        )
        if updated is not None:
            await self._users.save(user, expected_version=loaded_version)
            await self._events.publish(updated)
        return view_of(user)


def view_of(user: User) -> UserView:
    """The user as the read model will show it once the change is projected."""
    return UserView(
        id=user.id,
        email=user.email,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        is_active=user.is_active,
        version=user.version,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )
