"""Bearer-token authentication for routes (projects generated with auth=jwt).

`authenticated_principal` is the dependency for routes that want the principal itself;
`app.api.operations` calls `principal_for_token` inside its own dependency instead (one level
of dependency solving less on every request). Either way: no token, a malformed, wrongly signed
or expired one, or a token whose user has since been deleted or deactivated, is answered 401
with a Bearer challenge.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from app.api.problems import ProblemError
from app.core.cqrs import Principal
from app.infrastructure.auth.authenticator import Authenticator

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 (a route, not a secret)

bearer_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def unauthenticated(detail: str, *, error: str | None = None) -> ProblemError:
    challenge = "Bearer" if error is None else f'Bearer error="{error}"'
    return ProblemError(401, detail=detail, headers={"WWW-Authenticate": challenge})


async def authenticated_principal(
    request: Request, token: Annotated[str | None, Depends(bearer_scheme)]
) -> Principal:
    return await principal_for_token(request, token)


async def principal_for_token(request: Request, token: str | None) -> Principal:
    """The principal `token` speaks for, or a 401 problem (the body of the dependency above)."""
    if token is None:
        raise unauthenticated("Send a bearer token in the Authorization header")
    authenticator: Authenticator = request.app.state.container.authenticator()
    principal = await authenticator.principal_for(token)
    if principal is None:
        raise unauthenticated(
            "The access token is invalid, has expired, or its user may no longer sign in",
            error="invalid_token",
        )
    return principal
