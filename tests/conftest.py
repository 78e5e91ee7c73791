from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.combinations import TEMPLATE_DIR

BUILD_DIR = TEMPLATE_DIR / "build"


@pytest.fixture(scope="session")
def mypy_cache_dir(worker_id: str) -> Path:
    """One mypy cache per xdist worker: third-party stubs are analysed once, not per render."""
    path = BUILD_DIR / "mypy-cache" / worker_id
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest first: each combination takes minutes, so starting them last leaves one worker
    finishing a queue of them while the others idle. (`make test` also lets idle workers steal
    queued tests, `--dist worksteal`.)"""
    items.sort(key=lambda item: item.get_closest_marker("matrix") is None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    rows = []
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", []):
        if report.when != "call":
            continue
        timings = dict(report.user_properties).get("timings")
        if timings:
            rows.append((report.nodeid.split("[", 1)[-1].rstrip("]"), report.outcome, timings))
    if not rows:
        return
    terminalreporter.section("per-combination timings (seconds)")
    steps = sorted({step for _, _, timings in rows for step in timings})
    terminalreporter.write_line(f"{'combination':60} {'result':7} " + " ".join(f"{s:>9}" for s in steps))
    for name, outcome, timings in sorted(rows, key=lambda row: (row[0], row[1])):
        cells = " ".join(f"{timings.get(step, 0.0):9.1f}" for step in steps)
        terminalreporter.write_line(f"{name[:60]:60} {outcome:7} {cells}")
