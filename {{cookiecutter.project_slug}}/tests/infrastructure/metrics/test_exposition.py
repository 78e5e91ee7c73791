from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from app.infrastructure.metrics.exposition import MULTIPROCESS_DIRECTORY_VARIABLE, render_metrics
from app.infrastructure.metrics.http import HTTP_REQUESTS

PROJECT_ROOT = Path(__file__).resolve().parents[3]

# One worker process: serves `count` requests through the real middleware, optionally scrapes.
WORKER = textwrap.dedent(
    """
    import asyncio, sys
    from tests.api.observed_app import observed_client

    async def main(count: int, scrape: bool) -> None:
        async with observed_client() as client:
            for _ in range(count):
                assert (await client.get("/widgets/1")).status_code == 200
            if scrape:
                sys.stdout.write((await client.get("/metrics")).text)

    asyncio.run(main(int(sys.argv[1]), sys.argv[2] == "scrape"))
    """
)


def run_worker(directory: Path, count: int, *, scrape: bool = False) -> str:
    environment = {**os.environ, MULTIPROCESS_DIRECTORY_VARIABLE: str(directory)}
    completed = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", WORKER, str(count), "scrape" if scrape else "serve"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def widget_requests(text: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "http_requests_total"
        and sample.labels.get("route") == "/widgets/{widget_id}"
    )


async def test_with_several_worker_processes_a_scrape_counts_every_workers_requests(tmp_path):
    await asyncio.to_thread(run_worker, tmp_path, 3)
    await asyncio.to_thread(run_worker, tmp_path, 4)

    scraped = await asyncio.to_thread(run_worker, tmp_path, 0, scrape=True)

    assert widget_requests(scraped) == 7


def test_in_a_single_process_the_default_registry_is_rendered(monkeypatch):
    monkeypatch.delenv(MULTIPROCESS_DIRECTORY_VARIABLE, raising=False)
    HTTP_REQUESTS.labels(method="GET", route="/rendered", status="200").inc()

    body, content_type = render_metrics()

    assert content_type.startswith("text/plain")
    assert b'http_requests_total{method="GET",route="/rendered",status="200"}' in body
