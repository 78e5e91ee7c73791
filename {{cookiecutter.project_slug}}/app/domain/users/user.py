"""The user aggregate: the write model's state and the changes it allows.

Every change bumps `version` by one and returns the event that describes it; the handler
records that event in its unit of work and saves the user expecting the version it loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID, uuid4

from app.domain.users.events import UserCreated, UserDeactivated, UserDeleted, UserUpdated
from app.domain.users.roles import UserRole


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively: stored trimmed and lower-cased."""
    return email.strip().lower()


@dataclass(slots=True, kw_only=True)
class User:
    id: UUID
    email: str
    username: str
    full_name: str
    hashed_password: str
    role: UserRole
    is_active: bool
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def register(
        cls,
        *,
        email: str,
        username: str,
        full_name: str,
        hashed_password: str,
        role: UserRole = UserRole.USER,
        user_id: UUID | None = None,
        now: datetime | None = None,
    ) -> tuple[User, UserCreated]:
        now = now or datetime.now(UTC)
        user = cls(
            id=user_id or uuid4(),
            email=normalize_email(email),
            username=username,
            full_name=full_name,
            hashed_password=hashed_password,
            role=role,
            is_active=True,
            version=1,
            created_at=now,
            updated_at=now,
        )
        event = UserCreated(
            aggregate_id=str(user.id),
            occurred_at=now,
            aggregate_version=user.version,
            email=user.email,
            username=user.username,
            full_name=user.full_name,
            role=user.role,
            is_active=user.is_active,
        )
        return user, event

    def update(
        self,
        *,
        email: str | None = None,
        username: str | None = None,
        full_name: str | None = None,
        role: UserRole | None = None,
        hashed_password: str | None = None,
        now: datetime | None = None,
    ) -> UserUpdated | None:
        """Apply the given changes; None (and no new version) when nothing actually changes."""
        changed: list[str] = []
        if email is not None and normalize_email(email) != self.email:
            self.email = normalize_email(email)
            changed.append("email")
        if username is not None and username != self.username:
            self.username = username
            changed.append("username")
        if full_name is not None and full_name != self.full_name:
            self.full_name = full_name
            changed.append("full_name")
        if role is not None and role != self.role:
            self.role = role
            changed.append("role")
        if hashed_password is not None and hashed_password != self.hashed_password:
            self.hashed_password = hashed_password
            changed.append("password")
        if not changed:
            return None
        now = self._touch(now)
        return UserUpdated(
            aggregate_id=str(self.id),
            occurred_at=now,
            aggregate_version=self.version,
            email=self.email,
            username=self.username,
            full_name=self.full_name,
            role=self.role,
            is_active=self.is_active,
            changed_fields=tuple(changed),
        )

    def deactivate(self, *, now: datetime | None = None) -> UserDeactivated | None:
        """Stop the user signing in; None when already inactive."""
        if not self.is_active:
            return None
        self.is_active = False
        now = self._touch(now)
        return UserDeactivated(
            aggregate_id=str(self.id), occurred_at=now, aggregate_version=self.version
        )

    def delete(self, *, now: datetime | None = None) -> UserDeleted:
        now = self._touch(now)
        return UserDeleted(
            aggregate_id=str(self.id), occurred_at=now, aggregate_version=self.version
        )

    def _touch(self, now: datetime | None) -> datetime:
        now = now or datetime.now(UTC)
        self.version += 1
        self.updated_at = now
        return now
