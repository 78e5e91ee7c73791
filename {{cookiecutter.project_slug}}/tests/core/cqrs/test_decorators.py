from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from app.core.cqrs import (
    AuthorizationRequirement,
    BaseCommandHandler,
    BaseQueryHandler,
    CQRSBus,
    CQRSConfigurationError,
    HandlerRegistry,
    ICommand,
    IQuery,
    Message,
    OperationStatus,
    Principal,
    TransientError,
    authorize,
    cached_query,
    retry_on_failure,
    transactional,
)
from app.core.cqrs.options import handler_options
from tests.core.cqrs.doubles import DictQueryCache, InMemoryStore, User


@dataclass(frozen=True)
class Update(ICommand[int]):
    log: ClassVar[list[str]]
    user_id: str

    def validate(self) -> dict[str, str]:
        self.log.append("validate")
        return {}


@dataclass(frozen=True)
class Read(IQuery[str]):
    log: ClassVar[list[str]]
    user_id: str

    def validate(self) -> dict[str, str]:
        self.log.append("validate")
        return {}


# Stacked in a scrambled order on purpose: the pipeline order does not depend on it.
@retry_on_failure(max_attempts=2, delay_seconds=1.0)
@authorize(permissions=["user:update"])
@transactional()
class UpdateHandler(BaseCommandHandler[Update, int]):
    def __init__(self) -> None:
        self.attempts = 0

    async def _handle(self, command: Update) -> int:
        self.attempts += 1
        command.log.append(f"handler attempt {self.attempts}")
        if self.attempts == 1:
            raise TransientError
        return self.attempts


@transactional()
@cached_query(ttl_seconds=30)
@authorize(permissions=["user:read"])
class ReadHandler(BaseQueryHandler[Read, str]):
    async def _handle(self, query: Read) -> str:
        query.log.append("handler")
        return "data"


class RecordingAuthorizer:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    async def is_allowed(
        self, principal: Principal, requirement: AuthorizationRequirement, operation: Message
    ) -> bool:
        self.log.append("authorize")
        return True


@pytest.fixture
def bus(registry: HandlerRegistry, store: InMemoryStore) -> CQRSBus:
    log = store.log
    Update.log = Read.log = log
    registry.register_command_handler(Update, UpdateHandler, timeout_seconds=5)
    registry.register_query_handler(Read, ReadHandler, timeout_seconds=5)

    async def sleep(seconds: float) -> None:
        log.append("sleep")

    async def middleware(operation: Any, next_handler: Any) -> Any:
        log.append("middleware before")
        result = await next_handler()
        log.append("middleware after")
        return result

    bus = CQRSBus(
        registry=registry,
        unit_of_work_factory=store,
        query_cache=DictQueryCache(calls=log),
        authorizer=RecordingAuthorizer(log),
        sleep=sleep,
    )
    bus.add_middleware(middleware)
    return bus


def test_the_pipeline_order_is_the_documented_one(bus: CQRSBus) -> None:
    assert bus.describe_pipeline(Update) == (
        "middleware:middleware",
        "validation",
        "authorization",
        "timeout",
        "retry",
        "transaction",
        "handler:UpdateHandler",
    )
    assert bus.describe_pipeline(Read) == (
        "middleware:middleware",
        "validation",
        "authorization",
        "timeout",
        "cache",
        "transaction",
        "handler:ReadHandler",
    )


async def test_a_command_runs_through_the_steps_in_order_and_retries_in_a_fresh_transaction(
    bus: CQRSBus, store: InMemoryStore
) -> None:
    command = Update(user_id="u1")
    command.metadata.principal = User("u1")
    result = await bus.execute_command(command)
    assert result.data == 2
    assert store.log == [
        *("middleware before", "validate", "authorize"),
        *("begin", "handler attempt 1", "rollback", "sleep"),
        *("begin", "handler attempt 2", "commit"),
        "middleware after",
    ]


async def test_a_cache_hit_opens_no_transaction_but_still_passes_validation_and_authorization(
    bus: CQRSBus, store: InMemoryStore
) -> None:
    for _ in range(2):
        query = Read(user_id="u1")
        query.metadata.principal = User("u1")
        assert (await bus.execute_query(query)).data == "data"
    key = "tests.core.cqrs.test_decorators.Read:user_id='u1'"
    assert store.log == [
        *("middleware before", "validate", "authorize", f"get {key}"),
        *("begin", "handler", "commit", f"set {key}", "middleware after"),
        *("middleware before", "validate", "authorize", f"get {key}", "middleware after"),
    ]


def test_decorators_attach_options_and_return_the_class_itself() -> None:
    options = handler_options(UpdateHandler)
    assert options.transaction is not None
    assert options.retry is not None
    assert options.authorization == AuthorizationRequirement(frozenset({"user:update"}))
    assert options.cache is None


def test_a_subclass_inherits_its_base_class_options_and_may_add_its_own() -> None:
    @cached_query(ttl_seconds=5)
    class SubReadHandler(ReadHandler):
        pass

    assert handler_options(SubReadHandler).transaction == handler_options(ReadHandler).transaction
    cache = handler_options(SubReadHandler).cache
    assert cache is not None
    assert cache.ttl_seconds == 5


def test_declaring_one_option_twice_on_a_class_is_refused() -> None:
    with pytest.raises(CQRSConfigurationError, match="twice"):

        @transactional()
        @transactional()
        class Twice(UpdateHandler):
            pass


@pytest.mark.parametrize(
    "make_decorator",
    [
        lambda: transactional(isolation_level="CHAOTIC"),  # type: ignore[arg-type]
        lambda: transactional(rollback_on=[KeyboardInterrupt]),  # type: ignore[list-item]
        lambda: authorize(permissions="user:read"),
        lambda: cached_query(ttl_seconds=0),
        lambda: cached_query(vary_by="user_id"),
        lambda: retry_on_failure(max_attempts=0),
        lambda: retry_on_failure(delay_seconds=-1),
        lambda: retry_on_failure(backoff_multiplier=0.5),
        lambda: retry_on_failure(retry_on=[]),
        lambda: retry_on_failure(retry_on=["ConnectionError"]),  # type: ignore[list-item]
    ],
)
def test_bad_decorator_arguments_are_refused_at_once(make_decorator: Any) -> None:
    with pytest.raises(CQRSConfigurationError):
        make_decorator()


def test_decorators_refuse_classes_they_do_not_apply_to() -> None:
    with pytest.raises(CQRSConfigurationError):
        cached_query()(UpdateHandler)  # type: ignore[type-var]
    with pytest.raises(CQRSConfigurationError):
        transactional()(int)  # type: ignore[type-var]


async def test_a_handler_declaring_no_options_gets_only_validation_and_itself(
    registry: HandlerRegistry,
) -> None:
    class PlainHandler(BaseQueryHandler[Read, str]):
        async def _handle(self, query: Read) -> str:
            return "plain"

    registry.register_query_handler(Read, PlainHandler)
    bus = CQRSBus(registry=registry)
    assert bus.describe_pipeline(Read) == ("validation", "handler:PlainHandler")
    Read.log = []
    assert (await bus.execute_query(Read(user_id="u"))).status is OperationStatus.SUCCESS
