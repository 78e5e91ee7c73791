"""Reserving an idempotency key, recording the response it got, and replaying it.

A request with a key first reserves it in a short transaction of its own. The first request
wins the reservation and runs; a repeat of the same request finds the recorded response and
gets it back; a repeat that arrives while the first still runs is told so; the same key with a
different request is refused. Responses are recorded for outcomes that would not change on a
retry; after a server-side failure the reservation is released, so a retry runs afresh.

A reservation whose request never recorded a response (its process died) is taken over after
`lease_seconds`. Should the command have committed before that death, the retry runs it again:
the one window in which a key does not guarantee a single run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.infrastructure.db.errors import database_errors_translated
from app.infrastructure.db.upsert import upsert_into
from app.infrastructure.idempotency.tables import idempotency_keys as keys


@dataclass(frozen=True, slots=True)
class RecordedResponse:
    status_code: int
    body: bytes
    headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Reserved:
    """This request holds the key: run it, then `record` or `release`."""


@dataclass(frozen=True, slots=True)
class Replay:
    response: RecordedResponse


@dataclass(frozen=True, slots=True)
class KeyReused:
    """The key was first used for a different request."""


@dataclass(frozen=True, slots=True)
class StillRunning:
    """The first request with this key has not finished yet."""


Reservation = Reserved | Replay | KeyReused | StillRunning


def _now() -> datetime:
    return datetime.now(UTC)


class IdempotencyStore:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        ttl_seconds: float,
        lease_seconds: float,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._engine = engine
        self._ttl = timedelta(seconds=ttl_seconds)
        self._lease = timedelta(seconds=lease_seconds)
        self._clock = clock

    async def reserve(self, scope: str, key: str, fingerprint: str) -> Reservation:
        now = self._clock()
        fresh = {
            "fingerprint": fingerprint,
            "status_code": None,
            "response_body": None,
            "response_headers": None,
            "reserved_at": now,
            "expires_at": now + self._ttl,
        }
        with database_errors_translated():
            async with self._engine.begin() as connection:
                inserted = await connection.execute(
                    upsert_into(connection, keys)
                    .values(scope=scope, key=key, **fresh)
                    .on_conflict_do_nothing(index_elements=[keys.c.scope, keys.c.key])
                    .returning(keys.c.key)
                )
                if inserted.first() is not None:
                    return Reserved()
                return await self._existing(connection, scope, key, fingerprint, now, fresh)

    async def record(self, scope: str, key: str, response: RecordedResponse) -> None:
        with database_errors_translated():
            async with self._engine.begin() as connection:
                await connection.execute(
                    update(keys)
                    .where(_identified(scope, key))
                    .values(
                        status_code=response.status_code,
                        response_body=response.body,
                        response_headers=dict(response.headers),
                    )
                )

    async def release(self, scope: str, key: str) -> None:
        with database_errors_translated():
            async with self._engine.begin() as connection:
                await connection.execute(
                    delete(keys).where(_identified(scope, key), keys.c.status_code.is_(None))
                )

    async def purge_expired(self) -> int:
        """Forget every expired key; returns how many."""
        with database_errors_translated():
            async with self._engine.begin() as connection:
                result = await connection.execute(
                    delete(keys).where(keys.c.expires_at <= self._clock())
                )
        return int(result.rowcount)

    async def _existing(
        self,
        connection: AsyncConnection,
        scope: str,
        key: str,
        fingerprint: str,
        now: datetime,
        fresh: dict[str, Any],
    ) -> Reservation:
        row = (
            await connection.execute(
                select(
                    keys.c.fingerprint,
                    keys.c.status_code,
                    keys.c.response_body,
                    keys.c.response_headers,
                    keys.c.reserved_at,
                    keys.c.expires_at,
                )
                .where(_identified(scope, key))
                .with_for_update()
            )
        ).one()
        abandoned = row.status_code is None and row.reserved_at + self._lease <= now
        if row.expires_at <= now or (abandoned and row.fingerprint == fingerprint):
            await connection.execute(update(keys).where(_identified(scope, key)).values(fresh))
            return Reserved()
        if row.fingerprint != fingerprint:
            return KeyReused()
        if row.status_code is None:
            return StillRunning()
        return Replay(
            RecordedResponse(
                status_code=row.status_code,
                body=bytes(row.response_body or b""),
                headers=dict(row.response_headers or {}),
            )
        )


def _identified(scope: str, key: str) -> Any:
    return and_(keys.c.scope == scope, keys.c.key == key)
