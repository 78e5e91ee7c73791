"""Many requests at once over real sockets, each answer kept."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True, slots=True)
class Call:
    method: str
    path: str
    json: Any = None


@dataclass(frozen=True, slots=True)
class Answer:
    call: Call
    status: int
    content_type: str
    body: Any


async def _send_all(
    base_url: str, token: str, calls: Sequence[Call], limit: int, timeout: float
) -> list[Answer]:
    gate = asyncio.Semaphore(limit)
    limits = httpx.Limits(max_connections=limit, max_keepalive_connections=limit)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, limits=limits, timeout=timeout
    ) as client:

        async def send(call: Call) -> Answer:
            async with gate:
                reply = await client.request(call.method, call.path, json=call.json)
            content_type = reply.headers.get("content-type", "")
            body = reply.json() if "json" in content_type else reply.text
            return Answer(call, reply.status_code, content_type, body)

        return await asyncio.gather(*(send(call) for call in calls))


def send_all(
    base_url: str, token: str, calls: Sequence[Call], *, limit: int, timeout: float = 60
) -> list[Answer]:
    """Send `calls` with up to `limit` in flight; a reply slower than `timeout` fails the test."""
    return asyncio.run(_send_all(base_url, token, calls, limit, timeout))
