"""How long and how hard to measure, from the environment (defaults: the issue's protocol)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BenchOptions:
    runs: int
    seconds: int
    connections: int
    users: int
    warmup_seconds: int
    postgres_url: str
    redis_url: str
    only: tuple[str, ...] = ()  # scenario name fragments; empty: every scenario

    @classmethod
    def from_environment(cls) -> BenchOptions:
        options = cls(
            runs=int(os.environ.get("BENCH_RUNS", "4")),
            seconds=int(os.environ.get("BENCH_SECONDS", "10")),
            connections=int(os.environ.get("BENCH_CONNECTIONS", "64")),
            users=int(os.environ.get("BENCH_USERS", "100000")),
            warmup_seconds=int(os.environ.get("BENCH_WARMUP_SECONDS", "2")),
            postgres_url=os.environ.get(
                "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432"
            ),
            redis_url=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
            only=tuple(
                fragment.strip().lower()
                for fragment in os.environ.get("BENCH_ONLY", "").split(",")
                if fragment.strip()
            ),
        )
        if options.runs < 1 or options.seconds < 1 or options.connections < 1:
            raise ValueError("BENCH_RUNS, BENCH_SECONDS and BENCH_CONNECTIONS must be positive")
        if options.users < 2000:
            raise ValueError("BENCH_USERS must be at least 2000 (the list scenario pages admins)")
        return options
