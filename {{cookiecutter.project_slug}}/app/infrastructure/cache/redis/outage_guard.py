"""What the Redis backend does when Redis fails: count, warn without flooding, back off.

After an outage-type failure (connection refused or lost, timeout) the backend leaves Redis
alone for `retry_after_seconds`: operations in that window are skipped (a miss, a no-op) and
counted as errors, so a dead or hung Redis costs a request nothing instead of a timeout. The
first operation after the window tries Redis again; its success ends the outage. Other failures
(an error reply, a refused value, a full connection pool) are counted and logged but do not stop
the backend from being tried.

Warnings are rate-limited: at most one per `warn_every_seconds`, each saying how many
failures it stands for.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Literal

from app.infrastructure.cache.metrics import CACHE_ERRORS

Operation = Literal["get", "set", "invalidate"]
Clock = Callable[[], float]

_OPERATIONS: tuple[Operation, ...] = ("get", "set", "invalidate")
_log = logging.getLogger(__name__)


class OutageGuard:
    __slots__ = (
        "_backend",
        "_clock",
        "_errors",
        "_errors_in_outage",
        "_retry_after_seconds",
        "_retry_at",
        "_unwarned",
        "_warn_every_seconds",
        "_warned_at",
        "down",
    )

    def __init__(
        self,
        backend: str,
        *,
        retry_after_seconds: float,
        warn_every_seconds: float,
        clock: Clock = time.monotonic,
    ) -> None:
        self._backend = backend
        self._retry_after_seconds = retry_after_seconds
        self._warn_every_seconds = warn_every_seconds
        self._clock = clock
        self._errors = {
            op: CACHE_ERRORS.labels(backend=backend, operation=op) for op in _OPERATIONS
        }
        self._retry_at = 0.0
        self._warned_at: float | None = None
        self._unwarned = 0
        self._errors_in_outage = 0
        # Read on every operation: a plain attribute keeps the healthy path to one check.
        self.down = False

    def should_skip(self) -> bool:
        """While down: True until the back-off window has passed."""
        return self._clock() < self._retry_at

    def skipped(self, operation: Operation) -> None:
        self._errors[operation].inc()
        self._errors_in_outage += 1
        self._warn(f"unavailable, {operation} skipped")

    def failed(self, operation: Operation, error: BaseException, *, outage: bool) -> None:
        self._errors[operation].inc()
        if outage:
            self.down = True
            self._retry_at = self._clock() + self._retry_after_seconds
            self._errors_in_outage += 1
        self._warn(f"{operation} failed ({type(error).__name__}: {error})")

    def refused(self, reason: object) -> None:
        """A stored value could not be used (tampered, foreign, unloadable)."""
        self._errors["get"].inc()
        self._warn(f"refused a stored value ({reason}), treated as a miss")

    def recovered(self) -> None:
        self.down = False
        _log.info(
            "%s cache is reachable again after %d failed or skipped operations",
            self._backend,
            self._errors_in_outage,
        )
        self._errors_in_outage = 0

    def _warn(self, what: str) -> None:
        now = self._clock()
        if self._warned_at is not None and now - self._warned_at < self._warn_every_seconds:
            self._unwarned += 1
            return
        _log.warning(
            "%s cache: %s; %d more errors since the last warning",
            self._backend,
            what,
            self._unwarned,
        )
        self._warned_at = now
        self._unwarned = 0
