"""Handlers are built by constructor injection, each parameter from the provider of its name."""

from __future__ import annotations

import pytest
from dependency_injector import containers, providers

from app.core.cqrs import CQRSConfigurationError
from app.injection import ProviderHandlerFactory


class Clock:
    pass


class Repository:
    pass


class Services(containers.DeclarativeContainer):
    clock = providers.Singleton(Clock)
    repository = providers.Singleton(Repository)


class NeedsBoth:
    def __init__(self, repository: Repository, *, clock: Clock) -> None:
        self.repository = repository
        self.clock = clock


class HasADefault:
    def __init__(self, repository: Repository, retries: int = 3) -> None:
        self.retries = retries


class NeedsSomethingUnknown:
    def __init__(self, mailer: object) -> None:
        self.mailer = mailer


class TakesPositionOnly:
    def __init__(self, repository: Repository, /) -> None:
        self.repository = repository


class NeedsNothing:
    pass


class InheritsItsConstructor(NeedsBoth):
    pass


@pytest.fixture
def services() -> Services:
    return Services()


def test_each_parameter_comes_from_the_provider_of_its_name(services: Services) -> None:
    handler = ProviderHandlerFactory(services)(NeedsBoth)

    assert handler.repository is services.repository()
    assert handler.clock is services.clock()


def test_an_inherited_constructor_is_injected_too(services: Services) -> None:
    handler = ProviderHandlerFactory(services)(InheritsItsConstructor)

    assert handler.clock is services.clock()


def test_a_parameter_without_a_provider_keeps_its_default(services: Services) -> None:
    assert ProviderHandlerFactory(services)(HasADefault).retries == 3


def test_a_handler_without_a_constructor_is_built_plainly(services: Services) -> None:
    assert isinstance(ProviderHandlerFactory(services)(NeedsNothing), NeedsNothing)


def test_an_overridden_provider_is_what_the_handler_gets(services: Services) -> None:
    stand_in = Repository()
    services.repository.override(providers.Object(stand_in))

    assert ProviderHandlerFactory(services)(NeedsBoth).repository is stand_in


def test_a_parameter_nobody_provides_is_an_error_naming_both(services: Services) -> None:
    with pytest.raises(CQRSConfigurationError, match="NeedsSomethingUnknown needs 'mailer'"):
        ProviderHandlerFactory(services)(NeedsSomethingUnknown)


def test_positional_only_parameters_are_refused(services: Services) -> None:
    with pytest.raises(CQRSConfigurationError, match="by position only"):
        ProviderHandlerFactory(services)(TakesPositionOnly)
