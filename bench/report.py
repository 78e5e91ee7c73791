"""Medians over runs, the verdict per scenario, the printed table and the JSON file."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.scenarios import MAX_P99_MS, Scenario
from bench.wrk import WrkResult


@dataclass
class Sample:
    wrk: WrkResult
    cpu_us_per_request: float
    problems: list[str] = field(default_factory=list)


@dataclass
class SideSummary:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_request: float
    non_2xx: int
    socket_errors: int
    runs: list[dict[str, Any]] = field(default_factory=list)


def summarize(samples: list[Sample]) -> SideSummary:
    return SideSummary(
        requests_per_second=statistics.median(s.wrk.requests_per_second for s in samples),
        p50_ms=statistics.median(s.wrk.p50_us for s in samples) / 1000,
        p99_ms=statistics.median(s.wrk.p99_us for s in samples) / 1000,
        cpu_us_per_request=statistics.median(s.cpu_us_per_request for s in samples),
        non_2xx=sum(s.wrk.non_2xx for s in samples),
        socket_errors=sum(s.wrk.socket_errors + s.wrk.timeouts for s in samples),
        runs=[{**asdict(s.wrk), "cpu_us_per_request": s.cpu_us_per_request} for s in samples],
    )


@dataclass
class ScenarioResult:
    scenario: Scenario
    ours: SideSummary
    reference: SideSummary
    limit: SideSummary | None = None  # the raw asyncpg app, for the database scenarios
    problems: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.ours.requests_per_second / self.reference.requests_per_second

    def verdict(self) -> list[str]:
        """Why the scenario misses its target; empty when it meets it."""
        failures = list(self.problems)
        if self.ratio < self.scenario.min_ratio:
            failures.append(f"ratio {self.ratio:.2f} < {self.scenario.min_ratio:.2f}")
        if self.ours.requests_per_second < self.scenario.min_requests_per_second:
            failures.append(f"{self.ours.requests_per_second:,.0f} req/s")
        if self.ours.non_2xx or self.ours.socket_errors:
            failures.append(f"{self.ours.non_2xx} non-2xx, {self.ours.socket_errors} socket errors")
        if self.ours.p99_ms >= MAX_P99_MS:
            failures.append(f"p99 {self.ours.p99_ms:.0f} ms")
        # An error is cheaper to answer than the real work: such a ratio would mean nothing.
        for side, other in (("reference", self.reference), ("limit", self.limit)):
            if other is not None and (other.non_2xx or other.socket_errors):
                failures.append(
                    f"{side} had {other.non_2xx} non-2xx, {other.socket_errors} socket errors"
                )
        return failures


def table(results: list[ScenarioResult]) -> str:
    """Ours and the reference per scenario; "limit" is the raw asyncpg app's req/s, if run."""
    header = (
        f"{'scenario':34} {'side':5} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU us/req':>10} "
        f"{'ratio':>6} {'limit':>8}  {'target':28} result"
    )
    lines = [header, "-" * len(header)]
    for result in results:
        failures = result.verdict()
        limit = f"{result.limit.requests_per_second:,.0f}" if result.limit else ""
        for side, summary in (("ours", result.ours), ("ref", result.reference)):
            ours = side == "ours"
            lines.append(
                f"{result.scenario.name if ours else '':34} {side:5} "
                f"{summary.requests_per_second:8,.0f} {summary.p50_ms:7.1f} {summary.p99_ms:7.1f} "
                f"{summary.cpu_us_per_request:10,.0f} "
                f"{(f'{result.ratio:.2f}' if ours else ''):>6} {(limit if ours else ''):>8}  "
                f"{(result.scenario.target if ours else ''):28} "
                f"{('pass' if not failures else 'FAIL: ' + '; '.join(failures)) if ours else ''}"
            )
    return "\n".join(lines)


def write_json(path: Path, results: list[ScenarioResult], extra: dict[str, Any]) -> None:
    document = {
        **extra,
        "scenarios": [
            {
                "name": result.scenario.name,
                "target": result.scenario.target,
                "ratio": result.ratio,
                "passed": not result.verdict(),
                "failures": result.verdict(),
                "ours": asdict(result.ours),
                "reference_server": result.scenario.reference,
                "reference": asdict(result.reference),
                "limit_server": result.scenario.limit or None,
                "limit": asdict(result.limit) if result.limit else None,
            }
            for result in results
        ],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
