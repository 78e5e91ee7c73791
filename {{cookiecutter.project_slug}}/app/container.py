"""The dependency-injector container: where every concrete class is named and wired.

Core providers are declared on `Container`; each optional feature (`app/features/<name>.py`)
adds its own when `build_container` installs it. Providers are lazy: nothing is built at import
or when the container is made, only when something first asks (normally at start-up, through
`running`). Long-lived objects are singletons, so a request never pays to build one. Tests
replace any provider before start-up: `container.query_cache.override(providers.Object(x))`.

Every commit runs the after-commit hooks in order: the write settlement queues the commit's
cache tags (and wakes any read-your-writes waiter once they are settled), then the in-process
projection runner is woken; features may append more (JWT auth forgets cached principals).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Protocol, cast

from dependency_injector import containers, providers

import app.features
from app.core.cqrs import (
    CQRSBus,
    CQRSConfigurationError,
    default_registry,
    get_cqrs_bus,
    reset_cqrs_bus,
    set_cqrs_bus,
)
from app.handlers import import_handler_modules
from app.infrastructure.audit.reader import AuditTrailReader
from app.infrastructure.audit.unit_of_work import AuditedUnitOfWorkFactory
from app.infrastructure.audit.writer import AuditWriter
from app.infrastructure.cache.factory import build_query_cache
from app.infrastructure.cache.invalidation import TagRules
from app.infrastructure.consistency.settlement import SettlingCatchUp, WriteSettlement
from app.infrastructure.db.engines import create_read_engine, create_write_engine
from app.infrastructure.db.unit_of_work import SqlAlchemyUnitOfWorkFactory
from app.infrastructure.events.publisher import UnitOfWorkEventPublisher
from app.infrastructure.health.probes import readiness_probes
from app.infrastructure.idempotency.store import IdempotencyStore
from app.infrastructure.observability.install import install_bus_observability
from app.infrastructure.projections.in_process import InProcessProjectionRunner
from app.infrastructure.projections.installed import installed_projections
{%- if cookiecutter.opentelemetry == "yes" %}
from app.infrastructure.tracing.loading import load_tracing
{%- endif %}
from app.injection import ProviderHandlerFactory
from app.settings import Settings

logger = logging.getLogger(__name__)

# How long start-up and shutdown wait for queued commits to be projected and their cache tags
# dropped.
SETTLE_SECONDS = 5.0

TagRuleRegistrar = Callable[[TagRules], None]
StartupTask = Callable[[], Awaitable[None]]


def purging_expired_idempotency_keys(store: IdempotencyStore) -> StartupTask:
    """A start-up task that forgets expired idempotency keys; failing it never stops start-up."""

    async def purge() -> None:
        try:
            removed = await store.purge_expired()
        except Exception:
            logger.warning("could not purge expired idempotency keys", exc_info=True)
            return
        if removed:
            logger.info("purged %d expired idempotency key(s)", removed)

    return purge


def tag_rules_from(registrars: Sequence[TagRuleRegistrar]) -> TagRules:
    rules = TagRules()
    for register in registrars:
        register(rules)
    return rules


class Container(containers.DeclarativeContainer):
    __self__ = providers.Self()

    settings = providers.Dependency(instance_of=Settings)

    write_engine = providers.Singleton(create_write_engine, settings)
    read_engine = providers.Singleton(create_read_engine, settings)

    query_cache = providers.Singleton(build_query_cache, settings)
    # Features add functions that register their events' cache tags.
    tag_rule_registrars = providers.List()
    cache_tag_rules = providers.Singleton(tag_rules_from, tag_rule_registrars)

{%- if cookiecutter.opentelemetry == "yes" %}
    # None unless the OTEL_* environment asks for tracing.
    tracing = providers.Singleton(load_tracing, settings.provided.app_name)
{%- endif %}

    projections = providers.Singleton(installed_projections)
    write_settlement = providers.Singleton(WriteSettlement, query_cache, cache_tag_rules)
    projection_catch_up = providers.Singleton(
        SettlingCatchUp,
        write_engine,
        projections,
        settlement=write_settlement,
    )
    projection_runner = providers.Singleton(InProcessProjectionRunner, projection_catch_up)

    # In this order: the settlement must queue a commit before the runner can start a pass.
    after_commit_hooks = providers.List(write_settlement, projection_runner)
    # Audited: a successful command's audit row commits in the command's own transaction.
    unit_of_work_factory = providers.Singleton(
        AuditedUnitOfWorkFactory,
        providers.Singleton(
            SqlAlchemyUnitOfWorkFactory, write_engine, after_commit=after_commit_hooks
        ),
    )
    event_publisher = providers.Singleton(UnitOfWorkEventPublisher)

    handler_registry = providers.Callable(default_registry)
    handler_factory = providers.Singleton(ProviderHandlerFactory, __self__)
    bus = providers.Singleton(
        CQRSBus,
        registry=handler_registry,
        handler_factory=handler_factory,
        unit_of_work_factory=unit_of_work_factory,
        query_cache=query_cache,
    )

    audit_writer = providers.Singleton(AuditWriter, write_engine)
    audit_reader = providers.Singleton(AuditTrailReader, read_engine)

    idempotency_store = providers.Singleton(
        IdempotencyStore,
        write_engine,
        ttl_seconds=settings.provided.idempotency_key_ttl_seconds,
        lease_seconds=settings.provided.idempotency_lease_seconds,
    )
    readiness_probes = providers.Singleton(readiness_probes, write_engine, read_engine, query_cache)

    # Async callables run once the bus is up; features add theirs (e.g. creating the first admin).
    startup_tasks = providers.List(
        providers.Callable(purging_expired_idempotency_keys, idempotency_store)
    )


class Feature(Protocol):
    """A module under `app.features`; it may set `requires` to features installed before it."""

    def install(self, container: Container) -> None: ...


def installed_features() -> list[Feature]:
    """Every feature module this project has, each after the features it requires."""
    found = {
        info.name: importlib.import_module(f"{app.features.__name__}.{info.name}")
        for info in pkgutil.iter_modules(app.features.__path__)
    }
    return in_installation_order(cast(dict[str, Feature], found))


def in_installation_order(features: Mapping[str, Feature]) -> list[Feature]:
    """Features by name, each after those it `requires`; a missing or circular need is an error."""
    ordered: list[Feature] = []

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if name in chain:
            raise CQRSConfigurationError(
                f"features require each other: {' -> '.join((*chain, name))}"
            )
        feature = features.get(name)
        if feature is None:
            raise CQRSConfigurationError(
                f"feature {chain[-1]!r} requires {name!r}, which this project does not have"
            )
        if feature in ordered:
            return
        for required in getattr(feature, "requires", ()):
            visit(required, (*chain, name))
        ordered.append(feature)

    for name in sorted(features):
        visit(name, ())
    return ordered


def build_container(settings: Settings) -> Container:
    """The application's container with every present feature installed (nothing built yet)."""
    import_handler_modules()
    container = Container(settings=settings)
    for feature in installed_features():
        feature.install(container)
    return container


@asynccontextmanager
async def running(container: Container) -> AsyncIterator[CQRSBus]:
    """Start what the container owns, yield the bus, and stop it all again, newest first."""
    write_engine = container.write_engine()
    read_engine = container.read_engine()
    cache = container.query_cache()
    try:
{%- if cookiecutter.opentelemetry == "yes" %}
        tracing = container.tracing()
        if tracing is not None:
            tracing.instrument_engines(write_engine, read_engine)
{%- endif %}
        bus = container.bus()
        install_bus_observability(
            bus,
            audit_writer=container.audit_writer(),
{%- if cookiecutter.opentelemetry == "yes" %}
            tracing_middleware=tracing.bus_middleware() if tracing is not None else None,
{%- endif %}
        )
        # Wiring mistakes (a handler needing a provider nobody registered) fail start-up.
        bus.build_pipelines()
        runner = container.projection_runner()
        await runner.start()
        try:
            tasks: list[StartupTask] = container.startup_tasks()
            for task in tasks:
                await task()
            # Serve only once the read models show what start-up wrote.
            await container.projection_catch_up().quiesce(SETTLE_SECONDS)
            set_cqrs_bus(bus)
            yield bus
        finally:
            if get_cqrs_bus() is bus:
                reset_cqrs_bus()
            # Cancelling the runner inside a transaction can strand a connection (and, on
            # SQLite, the write lock): let it reach the end of its pass first.
            if not await container.projection_catch_up().quiesce(SETTLE_SECONDS):
                logger.warning(
                    "projections still busy after %ss; stopping them anyway",
                    SETTLE_SECONDS,
                )
            await runner.stop()
    finally:
        close = getattr(cache, "aclose", None)
        if close is not None:
            await close()
        await read_engine.dispose()
        await write_engine.dispose()
