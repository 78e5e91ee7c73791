"""Rendering every metric in the Prometheus text format, in one process or several.

With several worker processes (uvicorn --workers N) each process has its own counters, so a
scrape answered by one of them would see a fraction of the traffic. Setting
`PROMETHEUS_MULTIPROC_DIR` to an empty, writable directory before the processes start makes
prometheus_client keep every value in files there; a scrape then sums the files of all workers.
The directory must be emptied between runs (the image's entrypoint does it).
"""

from __future__ import annotations

import os

from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

MULTIPROCESS_DIRECTORY_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_directory() -> str | None:
    return os.environ.get(MULTIPROCESS_DIRECTORY_VARIABLE) or None


def render_metrics(accept: str | None = None) -> tuple[bytes, str]:
    """The metrics as (body, content type), in the format the `Accept` header prefers."""
    encode, content_type = choose_encoder(accept or "")
    directory = multiprocess_directory()
    if directory is None:
        return encode(REGISTRY), content_type
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    return encode(registry), content_type


def forget_this_process() -> None:
    """Drop this worker's live gauges from the shared files; call it when the worker stops."""
    if multiprocess_directory() is not None:
        mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
