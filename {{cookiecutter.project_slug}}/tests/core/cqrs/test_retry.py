from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.core.cqrs import (
    BaseCommandHandler,
    ConcurrencyConflictError,
    CQRSBus,
    HandlerRegistry,
    ICommand,
    OperationStatus,
    ServiceUnavailableError,
    retry_on_failure,
    transactional,
)
from app.core.cqrs.context import bind_unit_of_work, unbind_unit_of_work
from tests.core.cqrs.doubles import InMemoryStore


@dataclass(frozen=True)
class Pay(ICommand[int]):
    failures: int
    error: Exception


class Flaky:
    attempts = 0


@transactional()
@retry_on_failure(max_attempts=4, delay_seconds=1.0, backoff_multiplier=3.0)
class PayHandler(BaseCommandHandler[Pay, int]):
    def __init__(self, flaky: Flaky) -> None:
        self.flaky = flaky

    async def _handle(self, command: Pay) -> int:
        self.flaky.attempts += 1
        if self.flaky.attempts <= command.failures:
            raise command.error
        return self.flaky.attempts


@retry_on_failure(max_attempts=3, retry_on=[ConnectionError])
class PayByCardHandler(PayHandler):
    pass


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def _bus(
    registry: HandlerRegistry,
    store: InMemoryStore,
    sleeps: Sleeps,
    fraction: float,
    handler: type[PayHandler] = PayHandler,
) -> tuple[CQRSBus, Flaky]:
    flaky = Flaky()
    registry.register_command_handler(Pay, handler)
    bus = CQRSBus(
        registry=registry,
        unit_of_work_factory=store,
        handler_factory=lambda cls: cls(flaky),
        sleep=sleeps,
        random_fraction=lambda: fraction,
    )
    return bus, flaky


async def test_a_transient_failure_is_retried_each_time_in_a_fresh_transaction(
    registry: HandlerRegistry, store: InMemoryStore
) -> None:
    bus, flaky = _bus(registry, store, Sleeps(), 0.5)
    result = await bus.execute_command(Pay(failures=2, error=ConcurrencyConflictError()))
    assert (result.status, result.data, flaky.attempts) == (OperationStatus.SUCCESS, 3, 3)
    assert store.log == ["begin", "rollback"] * 2 + ["begin", "commit"]


@pytest.mark.parametrize("fraction", [0.0, 0.999999])
async def test_delays_grow_by_the_multiplier_with_jitter_between_half_and_all_of_each(
    registry: HandlerRegistry, store: InMemoryStore, fraction: float
) -> None:
    sleeps = Sleeps()
    bus, _ = _bus(registry, store, sleeps, fraction)
    await bus.execute_command(Pay(failures=3, error=ServiceUnavailableError()))
    nominal = [1.0, 3.0, 9.0]
    assert len(sleeps.delays) == 3
    for delay, full in zip(sleeps.delays, nominal, strict=True):
        assert full / 2 <= delay < full
    assert sleeps.delays[0] == pytest.approx(0.5 + 0.5 * fraction)


async def test_after_the_last_attempt_the_failure_is_the_result(
    registry: HandlerRegistry, store: InMemoryStore
) -> None:
    sleeps = Sleeps()
    bus, flaky = _bus(registry, store, sleeps, 0.5)
    result = await bus.execute_command(Pay(failures=9, error=ServiceUnavailableError()))
    assert (result.status, flaky.attempts, len(sleeps.delays)) == (
        OperationStatus.UNAVAILABLE,
        4,
        3,
    )
    assert store.committed == {}
    assert store.log.count("commit") == 0


async def test_only_the_listed_exceptions_are_retried(
    registry: HandlerRegistry, store: InMemoryStore
) -> None:
    bus, flaky = _bus(registry, store, Sleeps(), 0.5, handler=PayByCardHandler)
    refused = await bus.execute_command(Pay(failures=1, error=ServiceUnavailableError()))
    assert (refused.status, flaky.attempts) == (OperationStatus.UNAVAILABLE, 1)
    flaky.attempts = 0
    retried = await bus.execute_command(Pay(failures=1, error=ConnectionError()))
    assert (retried.status, flaky.attempts) == (OperationStatus.SUCCESS, 2)


async def test_by_default_non_transient_errors_are_not_retried(
    registry: HandlerRegistry, store: InMemoryStore
) -> None:
    bus, flaky = _bus(registry, store, Sleeps(), 0.5)
    result = await bus.execute_command(Pay(failures=1, error=ValueError("bad")))
    assert (result.status, flaky.attempts) == (OperationStatus.FAILED, 1)


async def test_inside_a_callers_transaction_there_is_no_retry(
    registry: HandlerRegistry, store: InMemoryStore
) -> None:
    sleeps = Sleeps()
    bus, flaky = _bus(registry, store, sleeps, 0.5)
    outer = await store.begin()
    token = bind_unit_of_work(outer)
    try:
        result = await bus.execute_command(Pay(failures=1, error=ServiceUnavailableError()))
    finally:
        unbind_unit_of_work(token)
    assert (result.status, flaky.attempts, sleeps.delays) == (OperationStatus.UNAVAILABLE, 1, [])
    assert store.log == ["begin"]  # the caller's; it decides what happens next
