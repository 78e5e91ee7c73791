"""The scenarios, the servers they run on, and the targets from the issue."""

from __future__ import annotations

from dataclasses import dataclass

from bench.wrk import Load

USERS_PATH = "/api/v1/users"
HOT_IDS = 1000  # the cached scenarios cycle over this many users, all cached after warm-up


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    ours: str  # server names, see run.py
    reference: str  # the ratio is ours / this one's requests per second
    load: Load
    ids: str  # "hot" or "all": which id list the requests walk
    min_ratio: float
    min_requests_per_second: float = 0.0
    limit: str = ""  # measured and printed beside, no target: the raw asyncpg app
    writes_event: str = ""  # a write scenario: the event type each 2xx must have committed

    @property
    def servers(self) -> tuple[str, ...]:
        """The servers this scenario drives, in the order it drives them: ours first."""
        sides = (self.ours, self.reference, self.limit)
        return sides if self.limit else sides[:2]

    @property
    def target(self) -> str:
        text = f"ratio >= {self.min_ratio:.2f}"
        if self.min_requests_per_second:
            text += f", >= {self.min_requests_per_second:,.0f}/s"
        return text


MAX_P99_MS = 100.0

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        name="cached get-by-id, Redis",
        ours="ours-redis",
        reference="reference-redis",
        load=Load("GET", f"{USERS_PATH}/{{id}}"),
        ids="hot",
        min_ratio=0.85,
    ),
    Scenario(
        name="cached get-by-id, in-process",
        ours="ours-memory",
        reference="reference-memory",
        load=Load("GET", f"{USERS_PATH}/{{id}}"),
        ids="hot",
        min_ratio=0.80,
    ),
    Scenario(
        name="uncached get-by-id, PostgreSQL",
        ours="ours-uncached",
        reference="reference-sqlalchemy",
        load=Load("GET", f"{USERS_PATH}/{{id}}"),
        ids="all",
        min_ratio=0.90,
        min_requests_per_second=1000,
        limit="reference-asyncpg",
    ),
    Scenario(
        name="filtered list page (20 items)",
        ours="ours-uncached",
        reference="reference-sqlalchemy",
        load=Load("GET", f"{USERS_PATH}?role=admin&page={{page}}&page_size=20", pages=100),
        ids="hot",
        min_ratio=0.80,
        limit="reference-asyncpg",
    ),
    Scenario(
        name="update command (PATCH full_name)",
        ours="ours-redis",
        reference="reference-sqlalchemy",
        load=Load("PATCH", f"{USERS_PATH}/{{id}}", body='{"full_name": "Renamed {n}"}'),
        ids="all",
        min_ratio=0.50,
        min_requests_per_second=500,
        limit="reference-asyncpg",
        writes_event="UserUpdated",
    ),
)


def selected(only: tuple[str, ...]) -> tuple[Scenario, ...]:
    """The scenarios whose name contains one of the fragments `only` (all when it is empty)."""
    if not only:
        return SCENARIOS
    chosen = tuple(s for s in SCENARIOS if any(fragment in s.name.lower() for fragment in only))
    if not chosen:
        names = ", ".join(s.name for s in SCENARIOS)
        raise ValueError(f"BENCH_ONLY={','.join(only)} matches no scenario; they are: {names}")
    return chosen
