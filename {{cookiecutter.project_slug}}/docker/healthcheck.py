"""Container health probes for the image's HEALTHCHECK and docker-compose (no curl in the image).

    python docker/healthcheck.py api      GET /health/live on this container's $PORT answers 2xx
    python docker/healthcheck.py worker   the worker touched $WORKER_HEARTBEAT_FILE within
                                          $WORKER_HEARTBEAT_MAX_AGE seconds (default 60)

Exit status 0 means healthy, 1 unhealthy or misused; the reason goes to stderr, which the
engine keeps in the container's health log. Standard library only.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable

TIMEOUT_SECONDS = 3.0


def api_problem() -> str | None:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/health/live"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            status = int(response.status)
    except (urllib.error.URLError, OSError) as exc:
        return f"{url}: {exc}"
    return None if 200 <= status < 300 else f"{url}: HTTP {status}"


def worker_problem() -> str | None:
    path = os.environ.get("WORKER_HEARTBEAT_FILE")
    if not path:
        return "WORKER_HEARTBEAT_FILE is not set"
    max_age = float(os.environ.get("WORKER_HEARTBEAT_MAX_AGE", "60"))
    try:
        age = time.time() - os.path.getmtime(path)
    except OSError as exc:
        return f"no heartbeat: {exc}"
    return None if age <= max_age else f"last heartbeat {age:.0f}s ago (limit {max_age:.0f}s)"


PROBES: dict[str, Callable[[], str | None]] = {"api": api_problem, "worker": worker_problem}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in PROBES:
        print(f"usage: healthcheck.py ({' | '.join(PROBES)})", file=sys.stderr)
        return 1
    problem = PROBES[argv[0]]()
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
