"""The pattern guide's examples (docs: cqrs-pattern-guide.md), run against this code.

Kept as close to the guide as the code allows. Where they differ, and why:
- Imports: everything comes from `app.core.cqrs`, as the guide says, except the guide's own
  test imports (`from app.core.cqrs import CreateUserCommand`, `app.handlers.user...`): here the
  example messages and handlers are defined in this module.
- Handlers take their repositories through the constructor (the guide uses `self.user_repository`
  without showing where it comes from); small in-memory repositories stand in for real ones.
- The decorators register into `guide_registry` (`registry=`), so these examples do not leak
  into the default registry other tests use; `initialize_cqrs_bus(registry=...)` installs the
  bus `get_cqrs_bus()` then returns, as in the guide.
- `raise ValueError("User not found")` becomes `NotFoundError`, "Email already in use" a
  `ConflictError`, so the caller gets NOT_FOUND / CONFLICT instead of FAILED.
- `datetime.utcnow()` becomes `datetime.now(UTC)`; `time.time()` durations `time.monotonic()`.
- `CreateUserCommand.validate` also checks `username`, which the guide's test expects.
- `result.data` is typed `T | None` (it is None on failure), so mypy wants an
  `assert ... is not None` before using it where the guide just reads it.
- The integration flow sets a principal on the update (the guide's UpdateUserHandler requires
  `user:update`), and the cache is invalidated after commit by the user's tag, as the
  infrastructure does, so the re-read sees the update.
"""

from __future__ import annotations

import enum
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Optional

import pytest

from app.core.cqrs import (
    BaseCommandHandler,
    BaseQueryHandler,
    ConflictError,
    CQRSBus,
    DomainEvent,
    EventPublisher,
    HandlerRegistry,
    ICommand,
    IQuery,
    NotFoundError,
    OperationStatus,
    authorize,
    cached_query,
    command_handler,
    get_cqrs_bus,
    initialize_cqrs_bus,
    query_handler,
    retry_on_failure,
    transactional,
)
from tests.core.cqrs.doubles import DictQueryCache, InMemoryStore, User

guide_registry = HandlerRegistry()


class UserRole(enum.StrEnum):
    USER = "user"
    ADMIN = "admin"


@dataclass
class UserEntity:
    id: str
    email: str
    username: str
    full_name: str
    role: UserRole = UserRole.USER
    updated_at: datetime | None = None


@dataclass(frozen=True)
class UserDto:
    id: str
    email: str
    full_name: str
    role: UserRole

    @classmethod
    def from_entity(cls, user: UserEntity) -> UserDto:
        return cls(user.id, user.email, user.full_name, user.role)


@dataclass(frozen=True, kw_only=True)
class UserUpdatedEvent(DomainEvent):
    fields: tuple[str, ...]


class InMemoryUserRepository:
    def __init__(self) -> None:
        self.users: dict[str, UserEntity] = {}

    async def create_user(self, command: CreateUserCommand) -> str:
        user_id = str(uuid.uuid4())
        self.users[user_id] = UserEntity(
            user_id, command.email, command.username, command.full_name
        )
        return user_id

    async def get_by_id(self, user_id: str) -> UserEntity | None:
        user = self.users.get(user_id)
        return replace(user) if user is not None else None

    async def get_by_email(self, email: str) -> UserEntity | None:
        return next((u for u in self.users.values() if u.email == email), None)

    async def update(self, user: UserEntity) -> None:
        self.users[user.id] = user

    async def find_users(
        self, email_contains: str | None, role: UserRole | None, offset: int, limit: int
    ) -> list[UserEntity]:
        return self._matching(email_contains, role)[offset : offset + limit]

    async def count_users(self, email_contains: str | None, role: UserRole | None) -> int:
        return len(self._matching(email_contains, role))

    def _matching(self, email_contains: str | None, role: UserRole | None) -> list[UserEntity]:
        return [
            u
            for u in self.users.values()
            if (email_contains is None or email_contains in u.email)
            and (role is None or u.role is role)
        ]


# Quick Start, 1-4


@dataclass
class CreateUserCommand(ICommand):  # type: ignore[type-arg]
    email: str
    username: str
    password: str
    full_name: str

    def validate(self) -> dict[str, Any]:
        errors = {}
        if not self.email or "@" not in self.email:
            errors["email"] = "Valid email is required"
        if not self.username:
            errors["username"] = "Username is required"
        if len(self.password) < 8:
            errors["password"] = "Password must be at least 8 characters"
        return errors


@command_handler(CreateUserCommand, registry=guide_registry)
@transactional()
class CreateUserHandler(BaseCommandHandler[CreateUserCommand, str]):
    def __init__(self, user_repository: InMemoryUserRepository) -> None:
        self.user_repository = user_repository

    async def _handle(self, command: CreateUserCommand) -> str:
        return await self.user_repository.create_user(command)

    async def _get_affected_entities(
        self, command: CreateUserCommand, result: str
    ) -> dict[str, Any]:
        return {"created": {"user": {"id": result, "email": command.email}}}


@dataclass
class GetUserQuery(IQuery):  # type: ignore[type-arg]
    user_id: str

    def validate(self) -> dict[str, Any]:
        return {"user_id": "Required"} if not self.user_id else {}

    def get_cache_key(self) -> str:
        return f"user:{self.user_id}"

    def get_cache_ttl(self) -> int:
        return 300  # 5 minutes

    def get_cache_tags(self) -> Sequence[str]:
        return [f"user:{self.user_id}"]


@query_handler(GetUserQuery, registry=guide_registry)
@cached_query(ttl_seconds=300)
class GetUserHandler(BaseQueryHandler[GetUserQuery, UserDto | None]):
    def __init__(self, user_repository: InMemoryUserRepository) -> None:
        self.user_repository = user_repository

    async def _handle(self, query: GetUserQuery) -> UserDto | None:
        user = await self.user_repository.get_by_id(query.user_id)
        return UserDto.from_entity(user) if user is not None else None


# Core Components


@dataclass
class UpdateUserCommand(ICommand):  # type: ignore[type-arg]
    user_id: str
    email: Optional[str] = None  # noqa: UP045
    full_name: Optional[str] = None  # noqa: UP045

    def validate(self) -> dict[str, Any]:
        errors = {}
        if not self.user_id:
            errors["user_id"] = "User ID is required"
        if self.email and "@" not in self.email:
            errors["email"] = "Invalid email format"
        return errors

    def get_aggregate_id(self) -> str:
        return self.user_id  # For event sourcing/aggregates


@command_handler(UpdateUserCommand, registry=guide_registry)
@transactional(isolation_level="REPEATABLE_READ")
@authorize(permissions=["user:update"], resource_id_field="user_id")
@retry_on_failure(max_attempts=3)
class UpdateUserHandler(BaseCommandHandler[UpdateUserCommand, None]):
    def __init__(
        self, user_repository: InMemoryUserRepository, event_publisher: EventPublisher
    ) -> None:
        self.user_repository = user_repository
        self.event_publisher = event_publisher

    async def _handle(self, command: UpdateUserCommand) -> None:
        # 1. Load aggregate/entity
        user = await self.user_repository.get_by_id(command.user_id)
        if not user:
            raise NotFoundError("User not found")

        # 2. Apply business logic
        if command.email:
            await self._ensure_unique_email(command.email, command.user_id)
            user.email = command.email

        if command.full_name:
            user.full_name = command.full_name

        user.updated_at = datetime.now(UTC)

        # 3. Save changes
        await self.user_repository.update(user)

        # 4. Publish domain events (if needed)
        fields = ("email", "full_name") if command.email else ("full_name",)
        await self.event_publisher.publish(UserUpdatedEvent(aggregate_id=user.id, fields=fields))

    async def _ensure_unique_email(self, email: str, exclude_user_id: str) -> None:
        existing_user = await self.user_repository.get_by_email(email)
        if existing_user and existing_user.id != exclude_user_id:
            raise ConflictError("Email already in use")

    async def _get_affected_entities(
        self, command: UpdateUserCommand, result: None
    ) -> dict[str, Any]:
        return {
            "updated": {
                "user": {
                    "id": command.user_id,
                    "fields": ["email", "full_name"] if command.email else ["full_name"],
                }
            }
        }


@dataclass
class FindUsersQuery(IQuery):  # type: ignore[type-arg]
    email_contains: Optional[str] = None  # noqa: UP045
    role: Optional[UserRole] = None  # noqa: UP045
    page: int = 1
    page_size: int = 20

    def validate(self) -> dict[str, Any]:
        errors = {}
        if self.page < 1:
            errors["page"] = "Page must be >= 1"
        if not 1 <= self.page_size <= 100:
            errors["page_size"] = "Page size must be 1-100"
        return errors

    def get_cache_key(self) -> str:
        return f"users:find:role={self.role}:page={self.page}"

    def get_cache_ttl(self) -> int:
        return 120  # 2 minutes


@query_handler(FindUsersQuery, registry=guide_registry)
@cached_query(ttl_seconds=120, vary_by=["role", "page", "page_size"])
class FindUsersHandler(BaseQueryHandler[FindUsersQuery, list[UserDto]]):
    def __init__(self, user_read_repository: InMemoryUserRepository) -> None:
        self.user_read_repository = user_read_repository

    async def _handle(self, query: FindUsersQuery) -> list[UserDto]:
        users = await self.user_read_repository.find_users(
            email_contains=query.email_contains,
            role=query.role,
            offset=(query.page - 1) * query.page_size,
            limit=query.page_size,
        )
        return [UserDto.from_entity(user) for user in users]

    async def _get_pagination_info(
        self, query: FindUsersQuery, result: list[UserDto]
    ) -> dict[str, Any]:
        total_count = await self.user_read_repository.count_users(
            email_contains=query.email_contains, role=query.role
        )
        total_pages = (total_count + query.page_size - 1) // query.page_size
        return {
            "page": query.page,
            "page_size": query.page_size,
            "total_count": total_count,
            "total_pages": total_pages,
            "has_next": query.page < total_pages,
            "has_previous": query.page > 1,
        }


class AuditLog:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    async def record_operation(self, **entry: Any) -> None:
        self.entries.append(entry)


@pytest.fixture
def repository() -> InMemoryUserRepository:
    return InMemoryUserRepository()


@pytest.fixture
def cqrs_bus(repository: InMemoryUserRepository) -> CQRSBus:
    """What the container does at start-up: wire handlers, ports and the bus."""
    cache = DictQueryCache()

    async def invalidate_after_commit(events: list[DomainEvent]) -> None:
        await cache.invalidate_tags(f"user:{event.aggregate_id}" for event in events)

    def build(handler_class: type[Any]) -> Any:
        if handler_class is UpdateUserHandler:
            return UpdateUserHandler(repository, event_publisher=bus)
        return handler_class(repository)

    bus = initialize_cqrs_bus(
        allow_handler_override=False,
        registry=guide_registry,
        handler_factory=build,
        unit_of_work_factory=InMemoryStore(after_commit=invalidate_after_commit),
        query_cache=cache,
    )
    assert bus.get_handler_count()["total"] == 4
    return bus


async def test_quick_start(cqrs_bus: CQRSBus) -> None:
    # Initialize bus (handlers auto-register via decorators)
    bus = get_cqrs_bus()

    # Execute command
    create_command = CreateUserCommand(
        email="user@example.com",
        username="newuser",
        password="securepass123",
        full_name="New User",
    )

    result = await bus.execute_command(create_command)
    assert result.is_success
    user_id = result.data
    assert user_id is not None  # `data` is typed `T | None`: None on failure

    # Execute query
    get_query = GetUserQuery(user_id=user_id)
    query_result = await bus.execute_query(get_query)
    assert query_result.is_success
    user = query_result.data
    assert user is not None
    assert user.email == "user@example.com"


async def test_middleware_support(cqrs_bus: CQRSBus) -> None:
    audit_log = AuditLog()

    async def audit_middleware(operation, next_handler):
        """Audit all commands and queries."""
        start_time = time.monotonic()

        try:
            result = await next_handler()

            # Log successful operation
            await audit_log.record_operation(
                operation=operation, result="success", duration=time.monotonic() - start_time
            )

            return result
        except Exception as e:
            # Log failed operation
            await audit_log.record_operation(
                operation=operation,
                result="failed",
                error=str(e),
                duration=time.monotonic() - start_time,
            )
            raise

    # Register middleware
    cqrs_bus = get_cqrs_bus()
    cqrs_bus.add_command_middleware(audit_middleware)
    cqrs_bus.add_query_middleware(audit_middleware)

    created = await cqrs_bus.execute_command(
        CreateUserCommand("a@example.com", "a", "securepass123", "A")
    )
    missing = UpdateUserCommand(user_id="nobody", full_name="X")
    missing.metadata.principal = User("admin", is_admin=True)
    await cqrs_bus.execute_command(missing)
    assert created.data is not None
    await cqrs_bus.execute_query(GetUserQuery(user_id=created.data))
    assert [(type(e["operation"]).__name__, e["result"]) for e in audit_log.entries] == [
        ("CreateUserCommand", "success"),
        ("UpdateUserCommand", "failed"),
        ("GetUserQuery", "success"),
    ]


async def test_result_handling(cqrs_bus: CQRSBus) -> None:
    result = await cqrs_bus.execute_command(CreateUserCommand("bad", "", "short", ""))
    outcome = ""
    if result.is_success:
        outcome = "created"
    else:
        match result.status:
            case OperationStatus.VALIDATION_ERROR:
                outcome = f"Validation errors: {sorted(result.errors)}"
            case OperationStatus.UNAUTHORIZED:
                outcome = "Access denied"
            case OperationStatus.FAILED:
                outcome = f"Execution failed: {result.errors}"
    assert outcome == "Validation errors: ['email', 'password', 'username']"


async def test_find_users_pages_and_reports_the_cache(
    cqrs_bus: CQRSBus, repository: InMemoryUserRepository
) -> None:
    for n in range(3):
        await cqrs_bus.execute_command(
            CreateUserCommand(f"u{n}@example.com", f"u{n}", "securepass123", f"U{n}")
        )
    find_query = FindUsersQuery(page=1, page_size=2)
    await cqrs_bus.execute_query(find_query)
    result = await cqrs_bus.execute_query(find_query)
    assert result.is_success
    users, pagination, cache_info = result.data, result.pagination, result.cache_info
    assert users is not None
    assert len(users) == 2
    assert pagination is not None
    assert (pagination["page"], pagination["total_pages"]) == (1, 2)
    assert cache_info is not None
    assert cache_info["hit"]


class TestCreateUserHandler:
    @pytest.fixture
    def handler(self, repository: InMemoryUserRepository) -> CreateUserHandler:
        return CreateUserHandler(repository)

    async def test_create_user_success(self, handler: CreateUserHandler) -> None:
        # Arrange
        command = CreateUserCommand(
            email="test@example.com",
            username="testuser",
            password="securepass123",
            full_name="Test User",
        )

        # Act
        result = await handler.handle(command)

        # Assert
        assert result.is_success
        assert result.data is not None
        assert result.affected_entities is not None
        assert result.affected_entities["created"]["user"]["email"] == "test@example.com"

    async def test_create_user_validation_error(self, handler: CreateUserHandler) -> None:
        # Arrange
        command = CreateUserCommand(
            email="invalid-email", username="", password="short", full_name=""
        )

        # Act
        result = await handler.handle(command)

        # Assert
        assert result.is_failure
        assert result.status == OperationStatus.VALIDATION_ERROR
        assert "email" in result.errors
        assert "username" in result.errors
        assert "password" in result.errors


class TestGetUserHandler:
    @pytest.fixture
    def handler(self, repository: InMemoryUserRepository) -> GetUserHandler:
        repository.users["user123"] = UserEntity("user123", "u@example.com", "u", "U")
        return GetUserHandler(repository)

    async def test_get_user_success(self, handler: GetUserHandler) -> None:
        # Arrange
        query = GetUserQuery(user_id="user123")

        # Act
        result = await handler.handle(query)

        # Assert
        assert result.is_success
        assert result.data is not None
        assert result.data.id == "user123"
        assert result.cache_info is not None

    async def test_get_user_not_found(self, handler: GetUserHandler) -> None:
        # Arrange
        query = GetUserQuery(user_id="nonexistent")

        # Act
        result = await handler.handle(query)

        # Assert
        assert result.is_success
        assert result.data is None


class TestUserManagementFlow:
    async def test_complete_user_lifecycle(self, cqrs_bus: CQRSBus) -> None:
        # Create user
        create_command = CreateUserCommand(
            email="integration@example.com",
            username="integrationuser",
            password="securepass123",
            full_name="Integration User",
        )

        create_result = await cqrs_bus.execute_command(create_command)
        assert create_result.is_success
        user_id = create_result.data
        assert user_id is not None

        # Get user
        get_query = GetUserQuery(user_id=user_id)
        get_result = await cqrs_bus.execute_query(get_query)
        assert get_result.is_success
        assert get_result.data is not None
        assert get_result.data.email == "integration@example.com"

        # Update user (as that user: they may update their own record)
        update_command = UpdateUserCommand(user_id=user_id, full_name="Updated Integration User")
        update_command.metadata.principal = User(user_id)

        update_result = await cqrs_bus.execute_command(update_command)
        assert update_result.is_success
        assert update_result.event_position == 1

        # Verify update
        get_result = await cqrs_bus.execute_query(get_query)
        assert get_result.data is not None
        assert get_result.data.full_name == "Updated Integration User"
