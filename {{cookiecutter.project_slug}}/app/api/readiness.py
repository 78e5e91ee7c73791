"""`GET /health/ready`: 200 when the database (and Redis, if the cache uses it) answer.

Otherwise 503, as a problem whose `errors` name each dependency that failed and how
(`unreachable` or `timeout`). Load balancers stop sending traffic until it is 200 again.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.api.openapi import problem_responses
from app.api.problems import ProblemError
from app.infrastructure.health.probes import OK, Probe, run_probes

router = APIRouter(prefix="/health", tags=["health"])


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    checks: dict[str, str]


@router.get(
    "/ready",
    summary="Every dependency answers",
    responses=problem_responses(503),
)
async def ready(request: Request) -> Readiness:
    probes: list[Probe] = request.app.state.container.readiness_probes()
    outcomes = await run_probes(
        probes, timeout_seconds=request.app.state.settings.readiness_timeout_seconds
    )
    failed = {name: outcome for name, outcome in outcomes.items() if outcome != OK}
    if failed:
        raise ProblemError(
            503, detail=f"Not ready: {', '.join(sorted(failed))} did not answer", errors=failed
        )
    return Readiness(checks=dict(outcomes))
