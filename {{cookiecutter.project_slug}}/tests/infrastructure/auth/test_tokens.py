from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from app.infrastructure.auth.tokens import InvalidTokenError, TokenService

SECRET = "a-test-secret-key-of-reasonable-length-000"
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def service(now: datetime = NOW, secret: str = SECRET) -> TokenService:
    return TokenService(secret, issuer="svc", lifetime=timedelta(minutes=30), clock=lambda: now)


def test_an_issued_token_verifies_to_its_subject_and_role() -> None:
    issued = service().issue(subject="user-1", role="admin")

    claims = service().verify(issued.access_token)

    assert issued.token_type == "bearer"
    assert issued.expires_in == 1800
    assert (claims.subject, claims.role) == ("user-1", "admin")
    assert claims.expires_at == NOW + timedelta(minutes=30)


def test_an_expired_token_is_refused() -> None:
    issued = service().issue(subject="user-1", role="user")
    later = service(now=NOW + timedelta(minutes=31))

    with pytest.raises(InvalidTokenError, match="expired"):
        later.verify(issued.access_token)


def test_a_token_signed_with_another_key_is_refused() -> None:
    forged = service(secret="another-secret-key-of-reasonable-length-1").issue(
        subject="user-1", role="admin"
    )

    with pytest.raises(InvalidTokenError):
        service().verify(forged.access_token)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_malformed_tokens_are_refused(token: str) -> None:
    with pytest.raises(InvalidTokenError):
        service().verify(token)


def test_the_none_algorithm_is_refused() -> None:
    unsigned = jwt.encode(
        {"sub": "user-1", "role": "admin", "iss": "svc", "iat": 0, "exp": 2**31},
        key=None,
        algorithm="none",
    )

    with pytest.raises(InvalidTokenError):
        service().verify(unsigned)


def test_a_token_missing_a_required_claim_is_refused() -> None:
    token = jwt.encode({"sub": "user-1", "iss": "svc", "iat": 0, "exp": 2**31}, SECRET)

    with pytest.raises(InvalidTokenError):
        service().verify(token)


def test_a_token_from_another_issuer_is_refused() -> None:
    other = TokenService(
        SECRET, issuer="elsewhere", lifetime=timedelta(minutes=5), clock=lambda: NOW
    )

    with pytest.raises(InvalidTokenError):
        service().verify(other.issue(subject="user-1", role="user").access_token)
