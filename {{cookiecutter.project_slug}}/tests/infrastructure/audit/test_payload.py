from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from uuid import UUID

from pydantic import BaseModel

from app.core.cqrs import ICommand
from app.infrastructure.audit.payload import audit_payload
from app.infrastructure.observability.redaction import REDACTED


class Role(Enum):
    ADMIN = "admin"


class Address(BaseModel):
    city: str
    api_key: str


@dataclass(frozen=True)
class Login:
    username: str
    password: str


@dataclass(frozen=True)
class Register(ICommand[None]):
    user_id: UUID
    role: Role
    login: Login
    address: Address
    limit: Decimal
    at: datetime
    avatar: bytes
    tags: tuple[str, ...] = ()
    settings: dict[str, object] = field(default_factory=dict)


def test_a_commands_fields_become_json_friendly_with_secrets_redacted_at_any_depth():
    command = Register(
        user_id=UUID("12345678-1234-5678-1234-567812345678"),
        role=Role.ADMIN,
        login=Login(username="ada", password="hunter2"),
        address=Address(city="London", api_key="k-1"),
        limit=Decimal("10.50"),
        at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        avatar=b"\x89PNG....",
        tags=("a", "b"),
        settings={"refresh_token": "t-1", "theme": "dark"},
    )

    assert audit_payload(command) == {
        "user_id": "12345678-1234-5678-1234-567812345678",
        "role": "admin",
        "login": {"username": "ada", "password": REDACTED},
        "address": {"city": "London", "api_key": REDACTED},
        "limit": "10.50",
        "at": "2026-01-02T03:04:05+00:00",
        "avatar": "<8 bytes>",
        "tags": ["a", "b"],
        "settings": {"refresh_token": REDACTED, "theme": "dark"},
    }


def test_metadata_is_not_part_of_the_payload():
    command = Register(
        user_id=UUID(int=1),
        role=Role.ADMIN,
        login=Login("a", "b"),
        address=Address(city="x", api_key="y"),
        limit=Decimal(1),
        at=datetime.now(UTC),
        avatar=b"",
    )
    command.metadata.user_id = "u-1"

    assert "metadata" not in audit_payload(command)
    assert "_metadata" not in audit_payload(command)


class PlainCommand(ICommand[None]):
    def __init__(self, name: str, secret: str) -> None:
        self.name = name
        self.secret = secret


def test_a_plain_class_contributes_its_public_attributes():
    assert audit_payload(PlainCommand("n", "s")) == {"name": "n", "secret": REDACTED}
