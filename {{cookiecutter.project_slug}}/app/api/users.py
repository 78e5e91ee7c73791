"""The users API: `/api/v1/users`, translating HTTP to users commands and queries and back.

Passwords are hashed here, before the command is built, so no plaintext secret travels on the
bus. Every route goes through `CurrentOperations` (authenticated when the project has auth).
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from app.api.idempotency import Idempotency
from app.api.openapi import problem_responses
from app.api.operations import CurrentOperations
from app.api.results import succeeded
from app.api.user_schemas import (
    CreatedUser,
    CreateUserRequest,
    Pagination,
    UpdateUserRequest,
    UserList,
    UserListQuery,
)
from app.handlers.users.create_user import CreateUser
from app.handlers.users.deactivate_user import DeactivateUser
from app.handlers.users.delete_user import DeleteUser
from app.handlers.users.find_users import FindUsers
from app.handlers.users.get_user import GetUser
from app.handlers.users.get_user_stats import GetUserStats
from app.handlers.users.update_user import UpdateUser
from app.infrastructure.auth.passwords import PasswordHasher
from app.infrastructure.users.read_models import UserStats, UserView

PREFIX = "/api/v1/users"

router = APIRouter(prefix=PREFIX, tags=["users"])

T = TypeVar("T")


def _password_hasher(request: Request) -> PasswordHasher:
    hasher: PasswordHasher = request.app.state.container.password_hasher()
    return hasher


@router.post(
    "",
    status_code=201,
    response_model=CreatedUser,
    summary="Create a user",
    responses=problem_responses(401, 403, 409, 422, 503),
)
async def create_user(
    body: CreateUserRequest,
    request: Request,
    operations: CurrentOperations,
    idempotency: Idempotency,
) -> Response:
    async def create() -> Response:
        command = CreateUser(
            email=body.email,
            username=body.username,
            full_name=body.full_name,
            hashed_password=await _password_hasher(request).hash(body.password),
            role=body.role,
        )
        user_id = succeeded(await operations.command(command))
        # A response object rather than the model: an Idempotency-Key records it for replays.
        return JSONResponse(
            jsonable_encoder(CreatedUser(id=_present(user_id))),
            201,
            {"Location": f"{PREFIX}/{user_id}"},
        )

    return await idempotency.run_once(body.model_dump_json(), create)


@router.get(
    "",
    summary="Find users, a page at a time",
    responses=problem_responses(401, 403, 422, 503),
)
async def find_users(
    filters: Annotated[UserListQuery, Query()], operations: CurrentOperations
) -> UserList:
    result = await operations.query(FindUsers(**filters.model_dump()))
    page = _present(succeeded(result))
    pagination: dict[str, Any] = result.pagination or {}
    return UserList(page.items, Pagination(**pagination))


@router.get(
    "/stats",
    summary="Count users by role and by activity",
    responses=problem_responses(401, 403, 503),
)
async def user_stats(operations: CurrentOperations) -> UserStats:
    return _present(succeeded(await operations.query(GetUserStats())))


@router.get(
    "/{user_id}",
    summary="Get one user",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def get_user(user_id: UUID, operations: CurrentOperations) -> UserView:
    return _present(succeeded(await operations.query(GetUser(user_id=user_id))))


@router.patch(
    "/{user_id}",
    summary="Change some of a user's details",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def update_user(
    user_id: UUID, body: UpdateUserRequest, request: Request, operations: CurrentOperations
) -> UserView:
    hashed_password = None
    if body.password is not None:
        hashed_password = await _password_hasher(request).hash(body.password)
    command = UpdateUser(
        user_id=user_id,
        email=body.email,
        username=body.username,
        full_name=body.full_name,
        hashed_password=hashed_password,
    )
    return _present(succeeded(await operations.command(command)))


@router.delete(
    "/{user_id}",
    status_code=204,
    summary="Delete a user",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def delete_user(user_id: UUID, operations: CurrentOperations) -> Response:
    succeeded(await operations.command(DeleteUser(user_id=user_id)))
    return Response(status_code=204)


@router.post(
    "/{user_id}/deactivate",
    status_code=204,
    summary="Stop a user signing in, keeping their record",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def deactivate_user(user_id: UUID, operations: CurrentOperations) -> Response:
    succeeded(await operations.command(DeactivateUser(user_id=user_id)))
    return Response(status_code=204)


def _present(value: T | None) -> T:
    """A successful result's data, which these operations always return."""
    if value is None:
        raise RuntimeError("a successful users operation returned no data")
    return value
