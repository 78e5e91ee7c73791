"""The users read models' projections, found by `installed_projections()`."""

from __future__ import annotations

from app.infrastructure.projections.projection import Projection
from app.infrastructure.users.user_stats_projection import UserStatsProjection
from app.infrastructure.users.user_view_projection import UserViewProjection


def projections() -> list[Projection]:
    return [UserViewProjection(), UserStatsProjection()]
