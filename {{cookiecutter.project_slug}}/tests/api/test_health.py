from __future__ import annotations

import httpx


async def test_live_answers_ok_once_the_app_has_started(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
