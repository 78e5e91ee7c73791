"""`POST /api/v1/auth/token`: the OAuth2 password flow (projects generated with auth=jwt)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from app.api.openapi import problem_responses
from app.api.security import unauthenticated
from app.infrastructure.auth.authenticator import Authenticator

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class AccessToken(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (the OAuth2 token type)
    expires_in: int


@router.post(
    "/token",
    summary="Exchange an email and password for an access token",
    responses=problem_responses(401, 422, 503),
)
async def issue_token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> AccessToken:
    """The form's `username` is the user's email."""
    authenticator: Authenticator = request.app.state.container.authenticator()
    issued = await authenticator.sign_in(form.username, form.password)
    if issued is None:
        raise unauthenticated("The email or password is wrong, or the account is inactive")
    return AccessToken(access_token=issued.access_token, expires_in=issued.expires_in)
