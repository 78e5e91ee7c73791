"""Tuning of the Redis query cache; the defaults suit a Redis on the same network."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class RedisCacheOptions:
    # Keys live under "<service_name>:qc:<schema_version>:". Bump schema_version when a cached
    # read model changes shape: the new code then never reads entries the old code wrote.
    service_name: str
    schema_version: str = "1"
    # Small on purpose: a cache that answers late is worse than a miss.
    connect_timeout_seconds: float = 0.25
    read_timeout_seconds: float = 0.25
    # Per process. Past this, an operation is a counted miss or no-op, not a wait: the cache
    # is there to save time, and waiting for a connection to it would spend time instead.
    max_connections: int = 128
    # After a connection failure or timeout, Redis is left alone this long (see OutageGuard).
    retry_after_seconds: float = 1.0
    warn_every_seconds: float = 30.0
    # Tags whose invalidation could not reach Redis, kept to be replayed when it returns.
    max_pending_tags: int = 10_000

    def __post_init__(self) -> None:
        for name in ("service_name", "schema_version"):
            value = getattr(self, name)
            if not value or ":" in value or any(c.isspace() for c in value):
                raise ValueError(f"{name} must be non-empty, without ':' or spaces: {value!r}")
        for name in ("connect_timeout_seconds", "read_timeout_seconds", "warn_every_seconds"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        if self.retry_after_seconds < 0:
            raise ValueError("retry_after_seconds must not be negative")
        if self.max_connections < 1 or self.max_pending_tags < 1:
            raise ValueError("max_connections and max_pending_tags must be at least 1")

    @property
    def key_prefix(self) -> str:
        return f"{self.service_name}:qc:{self.schema_version}:"
