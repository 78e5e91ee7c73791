"""Cheap Argon2 parameters for tests (the users example's password hashing)."""

from __future__ import annotations

import argon2
from dependency_injector import providers

from app.container import Container
from app.infrastructure.auth.passwords import PasswordHasher


def fast_password_hasher() -> PasswordHasher:
    return PasswordHasher(argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def use_fast_password_hashing(container: Container) -> None:
    container.password_hasher.override(providers.Object(fast_password_hasher()))
