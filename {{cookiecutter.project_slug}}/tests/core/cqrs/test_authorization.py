from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import pytest

from app.core.cqrs import (
    AuthorizationRequirement,
    BaseCommandHandler,
    CQRSBus,
    CQRSConfigurationError,
    HandlerRegistry,
    ICommand,
    Message,
    OperationStatus,
    PermissionSetAuthorizer,
    Principal,
    authorize,
)
from tests.core.cqrs.doubles import User


@dataclass(frozen=True)
class EditProfile(ICommand[str]):
    user_id: UUID


@authorize(permissions=["user:update"], resource_id_field="user_id")
class EditProfileHandler(BaseCommandHandler[EditProfile, str]):
    async def _handle(self, command: EditProfile) -> str:
        return "edited"


OWNER = UUID(int=1)


@pytest.mark.parametrize(
    ("principal", "requirement", "allowed"),
    [
        (User("u", frozenset({"a", "b"})), AuthorizationRequirement(frozenset({"a"})), True),
        (User("u", frozenset({"a"})), AuthorizationRequirement(frozenset({"a", "b"})), False),
        (User("u", is_admin=True), AuthorizationRequirement(frozenset({"a"})), True),
        (
            User("u", is_admin=True),
            AuthorizationRequirement(frozenset({"a"}), allow_admin_override=False),
            False,
        ),
        (User(str(OWNER)), AuthorizationRequirement(frozenset({"a"}), "user_id"), True),
        (User("someone"), AuthorizationRequirement(frozenset({"a"}), "user_id"), False),
        (User("u"), AuthorizationRequirement(frozenset()), True),
    ],
)
async def test_the_permission_set_authorizer_rules(
    principal: Principal, requirement: AuthorizationRequirement, allowed: bool
) -> None:
    operation = EditProfile(user_id=OWNER)
    assert await PermissionSetAuthorizer().is_allowed(principal, requirement, operation) is allowed


@pytest.fixture
def bus(registry: HandlerRegistry) -> CQRSBus:
    registry.register_command_handler(EditProfile, EditProfileHandler)
    return CQRSBus(registry=registry)


def _as(principal: User | None) -> EditProfile:
    command = EditProfile(user_id=OWNER)
    command.metadata.principal = principal
    return command


async def test_an_operation_without_a_principal_is_unauthenticated(bus: CQRSBus) -> None:
    assert (await bus.execute_command(EditProfile(user_id=OWNER))).status is (
        OperationStatus.UNAUTHENTICATED
    )
    assert (await bus.execute_command(_as(None))).status is OperationStatus.UNAUTHENTICATED


async def test_a_principal_without_the_permission_is_unauthorized(bus: CQRSBus) -> None:
    result = await bus.execute_command(_as(User("someone-else")))
    assert (result.status, result.data) == (OperationStatus.UNAUTHORIZED, None)


@pytest.mark.parametrize(
    "principal",
    [
        User("someone-else", frozenset({"user:update"})),
        User(str(OWNER)),
        User("admin", is_admin=True),
    ],
    ids=["has the permission", "owns the record", "is an admin"],
)
async def test_an_allowed_principal_reaches_the_handler(bus: CQRSBus, principal: User) -> None:
    assert (await bus.execute_command(_as(principal))).data == "edited"


async def test_the_bus_asks_the_authorizer_it_was_given(registry: HandlerRegistry) -> None:
    asked: list[tuple[str, frozenset[str]]] = []

    class DenyAll:
        async def is_allowed(
            self, principal: Principal, requirement: AuthorizationRequirement, operation: Message
        ) -> bool:
            asked.append((principal.user_id, requirement.permissions))
            return False

    registry.register_command_handler(EditProfile, EditProfileHandler)
    bus = CQRSBus(registry=registry, authorizer=DenyAll())
    result = await bus.execute_command(_as(User("admin", is_admin=True)))
    assert result.status is OperationStatus.UNAUTHORIZED
    assert asked == [("admin", frozenset({"user:update"}))]


async def test_a_resource_id_field_the_message_lacks_is_a_usage_error(
    registry: HandlerRegistry,
) -> None:
    @authorize(permissions=["x"], resource_id_field="owner_id")
    class Misconfigured(BaseCommandHandler[EditProfile, str]):
        async def _handle(self, command: EditProfile) -> str:
            return "never"

    registry.register_command_handler(EditProfile, Misconfigured)
    with pytest.raises(CQRSConfigurationError, match="owner_id"):
        await CQRSBus(registry=registry).execute_command(_as(User("u")))
