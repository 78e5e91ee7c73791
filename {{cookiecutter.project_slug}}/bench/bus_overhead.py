"""Bus overhead: nanoseconds per `execute_command` of a handler that does nothing.

Measures our bus bare and with three pass-through middlewares (guide-style functions, and
`BusMiddleware` classes), and diator 0.1.2 (the fastest Python peer measured, its handler
pre-built) bare and with three middlewares, interleaved in one run so both see the same
machine. Prints the median of several repeats. diator is optional: without it only our rows
are printed, with a note on how to add it.

    uv run python -m bench.bus_overhead
    uv run --with diator==0.1.2 python -m bench.bus_overhead
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import platform
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from app.core.cqrs import (
    BaseCommandHandler,
    BusMiddleware,
    CQRSBus,
    HandlerRegistry,
    ICommand,
    Message,
    NextHandler,
    OperationResult,
    command_handler,
)

# (a bound send/execute method, its message): called as `await send(message)` in the loop.
Send = tuple[Callable[[Any], Awaitable[object]], object]
ResultT = TypeVar("ResultT", bound=OperationResult[Any])

TARGETS_NS = {"bare": 1_000, "3 middlewares": 2_000}

_registry = HandlerRegistry()


@dataclass(frozen=True, slots=True)
class Ping(ICommand[None]):
    sequence: int


@command_handler(Ping, registry=_registry)
class PingHandler(BaseCommandHandler[Ping, None]):
    async def _handle(self, command: Ping) -> None:
        return None


async def pass_through(operation: Message, next_handler: NextHandler[ResultT]) -> ResultT:
    return await next_handler()


class PassThrough(BusMiddleware):
    async def __call__(self, operation: Message, next_handler: NextHandler[ResultT]) -> ResultT:
        return await next_handler()


def our_scenarios() -> dict[str, Send]:
    bare = CQRSBus(registry=_registry)
    functions = CQRSBus(registry=_registry)
    classes = CQRSBus(registry=_registry)
    for _ in range(3):
        functions.add_command_middleware(pass_through)
        classes.add_command_middleware(PassThrough())
    ping = Ping(sequence=1)
    return {
        "ours, bare": (bare.execute_command, ping),
        "ours, 3 middlewares": (functions.execute_command, ping),
        "ours, 3 BusMiddleware classes": (classes.execute_command, ping),
    }


def diator_scenarios() -> dict[str, Send]:
    """diator's documented set-up, with a container that returns a pre-built handler."""
    from diator.mediator import Mediator
    from diator.middlewares import MiddlewareChain
    from diator.requests import Request, RequestMap

    @dataclass(frozen=True, kw_only=True)
    class DiatorPing(Request):
        sequence: int

    class DiatorPingHandler:
        def __init__(self) -> None:
            self.events: list[object] = []

        async def handle(self, request: DiatorPing) -> None:
            return None

    handler = DiatorPingHandler()

    class PrebuiltContainer:
        async def resolve(self, type_: type) -> object:
            return handler

    class DiatorPassThrough:
        async def __call__(self, request: Any, handle: Any) -> Any:
            return await handle(request)

    requests = RequestMap()
    requests.bind(DiatorPing, DiatorPingHandler)  # type: ignore[arg-type]
    chain = MiddlewareChain()
    for _ in range(3):
        chain.add(DiatorPassThrough())
    bare = Mediator(requests, PrebuiltContainer())  # type: ignore[arg-type]
    wrapped = Mediator(requests, PrebuiltContainer(), middleware_chain=chain)  # type: ignore[arg-type]
    ping = DiatorPing(sequence=1)
    return {
        "diator 0.1.2, bare": (bare.send, ping),
        "diator 0.1.2, 3 middlewares": (wrapped.send, ping),
    }


async def _time_calls(scenario: Send, calls: int) -> float:
    send, message = scenario
    start = time.perf_counter_ns()
    for _ in range(calls):
        await send(message)
    return (time.perf_counter_ns() - start) / calls


async def measure(scenarios: dict[str, Send], calls: int, repeats: int) -> dict[str, float]:
    """Median ns per call; scenarios take turns within each repeat so drift hits all alike."""
    samples: dict[str, list[float]] = {name: [] for name in scenarios}
    for send in scenarios.values():
        await _time_calls(send, calls // 10)  # warm-up: pipelines built, caches hot
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as timeit does: collections would land on whichever scenario is running
    try:
        for _ in range(repeats):
            for name, send in scenarios.items():
                samples[name].append(await _time_calls(send, calls))
    finally:
        if gc_was_enabled:
            gc.enable()
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=200_000, help="calls per repeat")
    parser.add_argument("--repeats", type=int, default=7, help="repeats (median is reported)")
    args = parser.parse_args()

    scenarios = our_scenarios()
    try:
        scenarios |= diator_scenarios()
    except ImportError:
        diator_note = (
            "diator is not installed: run `uv run --with diator==0.1.2 python -m "
            "bench.bus_overhead` to compare"
        )
    else:
        diator_note = ""

    results = asyncio.run(measure(scenarios, args.calls, args.repeats))
    print(
        f"Python {platform.python_version()} on {platform.machine()}: median of "
        f"{args.repeats} x {args.calls:,} calls of execute_command (trivial handler)"
    )
    for name, ns in results.items():
        print(f"  {name:<34} {ns:>8,.0f} ns/call")
    bare, wrapped = TARGETS_NS["bare"], TARGETS_NS["3 middlewares"]
    print(f"targets: bare <= {bare} ns, 3 middlewares <= {wrapped} ns, and faster than diator")
    if diator_note:
        print(diator_note)
        return
    for shape in ("bare", "3 middlewares"):
        ratio = results[f"ours, {shape}"] / results[f"diator 0.1.2, {shape}"]
        print(f"ours / diator, {shape}: {ratio:.2f}")


if __name__ == "__main__":
    main()
