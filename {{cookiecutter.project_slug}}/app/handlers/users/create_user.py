"""CreateUser: register a new user with a password that is already hashed.

The password is hashed before the command is built (the API does it), so no plaintext secret
travels on the bus, into the audit trail or into a log line, and no transaction stays open
while Argon2 works.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.core.cqrs import (
    BaseCommandHandler,
    ConcurrencyConflictError,
    ConflictError,
    EventPublisher,
    ICommand,
    command_handler,
    retry_on_failure,
    transactional,
)
from app.domain.users.roles import UserRole
from app.domain.users.user import User
from app.handlers.users.validation import (
    MAX_FULL_NAME_LENGTH,
    MAX_USERNAME_LENGTH,
    email_problem,
    text_problem,
)
from app.infrastructure.users.write_repository import UserWriteRepository

EMAIL_TAKEN = "A user with this email already exists"


@dataclass(frozen=True, slots=True)
class CreateUser(ICommand[UUID]):
    email: str
    username: str
    full_name: str
    hashed_password: str
    role: UserRole = UserRole.USER

    def validate(self) -> dict[str, str]:
        problems = {
            "email": email_problem(self.email),
            "username": text_problem(self.username, max_length=MAX_USERNAME_LENGTH),
            "full_name": text_problem(self.full_name, max_length=MAX_FULL_NAME_LENGTH),
            "hashed_password": text_problem(self.hashed_password, max_length=255),
        }
        return {field: problem for field, problem in problems.items() if problem}


class EmailTakenError(ConflictError):
    default_message = EMAIL_TAKEN

    @property
    def errors(self) -> dict[str, str]:
        return {"email": self.message}


@command_handler(CreateUser)
@transactional()
@retry_on_failure(retry_on=[ConcurrencyConflictError])
class CreateUserHandler(BaseCommandHandler[CreateUser, UUID]):
    def __init__(
        self, user_write_repository: UserWriteRepository, event_publisher: EventPublisher
    ) -> None:
        self._users = user_write_repository
        self._events = event_publisher

    async def _handle(self, command: CreateUser) -> UUID:
        # Checked first for a clear message; the unique index still settles a race (409 too).
        if await self._users.get_by_email(command.email) is not None:
            raise EmailTakenError()
        user, created = User.register(
            email=command.email,
            username=command.username.strip(),
            full_name=command.full_name.strip(),
            hashed_password=command.hashed_password,
            role=command.role,
        )
        await self._users.add(user)
        await self._events.publish(created)
        return user.id
