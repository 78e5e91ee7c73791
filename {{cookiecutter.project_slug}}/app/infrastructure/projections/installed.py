"""The projections this application runs: every feature package's `projections()`."""

from __future__ import annotations

from typing import Protocol, cast

from app.infrastructure.features import feature_modules
from app.infrastructure.projections.projection import Projection


class _ProjectionsModule(Protocol):
    def projections(self) -> list[Projection]: ...


def installed_projections() -> list[Projection]:
    found: list[Projection] = []
    for module in feature_modules("projections"):
        found.extend(cast(_ProjectionsModule, module).projections())
    return found
