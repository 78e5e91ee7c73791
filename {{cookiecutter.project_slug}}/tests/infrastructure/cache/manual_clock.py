"""A monotonic clock that moves only when a test says so: TTL tests never sleep."""

from __future__ import annotations


class ManualClock:
    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
