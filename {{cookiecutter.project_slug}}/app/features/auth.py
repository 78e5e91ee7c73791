"""JWT authentication: tokens, principals, sign-in, and the first admin created at start-up."""

from __future__ import annotations

import logging
from datetime import timedelta

from dependency_injector import providers

from app.container import Container
from app.core.cqrs import CQRSBus, OperationStatus
from app.domain.users.roles import UserRole
from app.handlers.users.create_user import CreateUser
from app.infrastructure.auth.accounts import AccountStore
from app.infrastructure.auth.authenticator import Authenticator
from app.infrastructure.auth.passwords import PasswordHasher
from app.infrastructure.auth.principals import SYSTEM_PRINCIPAL, PrincipalDirectory
from app.infrastructure.auth.tokens import TokenService
from app.settings import Settings

logger = logging.getLogger(__name__)

# Tokens are issued to the example's users, with the users feature's password hasher.
requires = ("users",)


def token_service(settings: Settings) -> TokenService:
    return TokenService(
        settings.secret_key,
        issuer=settings.app_name,
        lifetime=timedelta(minutes=settings.access_token_expire_minutes),
        algorithm=settings.jwt_algorithm,
    )


class FirstSuperuser:
    """Creates the admin named by FIRST_SUPERUSER_EMAIL unless a user has that email already."""

    def __init__(
        self,
        settings: Settings,
        accounts: AccountStore,
        passwords: PasswordHasher,
        bus: CQRSBus,
    ) -> None:
        self._settings = settings
        self._accounts = accounts
        self._passwords = passwords
        self._bus = bus

    async def __call__(self) -> None:
        email = self._settings.first_superuser_email
        password = self._settings.first_superuser_password
        if email is None or password is None:
            return
        if await self._accounts.by_email(email) is not None:
            return
        command = CreateUser(
            email=email,
            username=email.partition("@")[0] or "admin",
            full_name="Administrator",
            hashed_password=await self._passwords.hash(password),
            role=UserRole.ADMIN,
        )
        command.metadata.principal = SYSTEM_PRINCIPAL
        result = await self._bus.execute_command(command)
        if result.status is OperationStatus.CONFLICT:
            return  # another replica created it a moment ago
        if result.is_failure:
            raise RuntimeError(f"could not create the first superuser {email}: {result.errors}")
        logger.info("created the first superuser %s", email)


def install(container: Container) -> None:
    container.set_providers(
        token_service=providers.Singleton(token_service, container.settings),
        account_store=providers.Singleton(AccountStore, container.read_engine),
    )
    container.set_providers(
        principal_directory=providers.Singleton(
            PrincipalDirectory,
            container.account_store,
            ttl_seconds=container.settings.provided.principal_cache_seconds,
        ),
    )
    container.set_providers(
        authenticator=providers.Singleton(
            Authenticator,
            container.account_store,
            container.password_hasher,
            container.token_service,
            container.principal_directory,
        ),
        first_superuser=providers.Singleton(
            FirstSuperuser,
            container.settings,
            container.account_store,
            container.password_hasher,
            container.bus,
        ),
    )
    container.after_commit_hooks.add_args(container.principal_directory)
    container.startup_tasks.add_args(container.first_superuser)
