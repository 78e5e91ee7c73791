"""The users example: its repositories, password hashing, and which events stale which tags."""

from __future__ import annotations

from dependency_injector import providers

from app.container import Container
from app.domain.users.events import UserCreated, UserDeactivated, UserDeleted, UserUpdated
from app.handlers.users.cache_tags import stale_tags
from app.infrastructure.auth.passwords import PasswordHasher
from app.infrastructure.cache.invalidation import TagRules
from app.infrastructure.users.read_repository import UserReadRepository
from app.infrastructure.users.write_repository import UserWriteRepository


def register_cache_tags(rules: TagRules) -> None:
    for event_type in (UserCreated, UserUpdated, UserDeactivated, UserDeleted):
        rules.register(event_type, stale_tags)


def install(container: Container) -> None:
    container.set_providers(
        user_write_repository=providers.Singleton(UserWriteRepository),
        user_read_repository=providers.Singleton(UserReadRepository, container.read_engine),
        password_hasher=providers.Singleton(PasswordHasher),
    )
    container.tag_rule_registrars.add_args(register_cache_tags)
