"""What the reference apps read from the environment (set by the bench runner)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReferenceConfig:
    postgres_dsn: str
    redis_url: str
    secret_key: str
    issuer: str
    pool_size: int


def reference_config() -> ReferenceConfig:
    return ReferenceConfig(
        postgres_dsn=os.environ["BENCH_POSTGRES_DSN"],
        redis_url=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        secret_key=os.environ["SECRET_KEY"],
        issuer=os.environ["APP_NAME"],
        pool_size=int(os.environ.get("BENCH_POOL_SIZE", "20")),
    )
