"""Authorization: who may run an operation, checked by the step behind `@authorize`.

The API layer puts the caller's `Principal` into `operation.metadata.principal`. No principal
gives UNAUTHENTICATED; a principal the `Authorizer` refuses gives UNAUTHORIZED.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from app.core.cqrs.errors import AuthenticationRequiredError, PermissionDeniedError
from app.core.cqrs.messages import Message
from app.core.cqrs.options import AuthorizationRequirement
from app.core.cqrs.ports import Principal
from app.core.cqrs.results import NON_FIELD_ERRORS, OperationResult, OperationStatus
from app.core.cqrs.types import Step


class Authorizer(Protocol):
    async def is_allowed(
        self, principal: Principal, requirement: AuthorizationRequirement, operation: Message
    ) -> bool: ...


class PermissionSetAuthorizer:
    """Allows a principal that holds every required permission.

    Also allows an admin when the requirement permits the override, and anyone acting on
    their own record: the operation's `resource_id_field` equals the principal's user id.
    """

    async def is_allowed(
        self, principal: Principal, requirement: AuthorizationRequirement, operation: Message
    ) -> bool:
        if requirement.permissions <= principal.permissions:
            return True
        if requirement.allow_admin_override and principal.is_admin:
            return True
        if requirement.resource_id_field is None:
            return False
        owner = getattr(operation, requirement.resource_id_field, None)
        return owner is not None and str(owner) == principal.user_id


class AuthorizationStep:
    label: ClassVar[str] = "authorization"
    __slots__ = ("_authorizer", "_requirement", "_result_type", "next_step")

    def __init__(
        self,
        next_step: Step[OperationResult[Any]],
        authorizer: Authorizer,
        requirement: AuthorizationRequirement,
        result_type: type[OperationResult[Any]],
    ) -> None:
        self.next_step = next_step
        self._authorizer = authorizer
        self._requirement = requirement
        self._result_type = result_type

    async def __call__(self, message: Message) -> OperationResult[Any]:
        metadata = message._metadata
        principal = metadata.principal if metadata is not None else None
        if principal is None:
            return self._result_type(
                OperationStatus.UNAUTHENTICATED,
                errors={NON_FIELD_ERRORS: AuthenticationRequiredError.default_message},
            )
        if not await self._authorizer.is_allowed(principal, self._requirement, message):
            return self._result_type(
                OperationStatus.UNAUTHORIZED,
                errors={NON_FIELD_ERRORS: PermissionDeniedError.default_message},
            )
        return await self.next_step(message)
