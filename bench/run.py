"""`make bench` (`python -m bench.run`): render, seed, serve, drive with wrk, report.

BENCH_RUNS (4), BENCH_SECONDS (10), BENCH_CONNECTIONS (64), BENCH_USERS (100000) and
BENCH_POSTGRES_URL / BENCH_REDIS_URL change the protocol; `BENCH_RUNS=1 BENCH_SECONDS=3` is a
quick smoke run. Results: the printed table and build/bench/results.json.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from bench import database
from bench.options import BenchOptions
from bench.report import Sample, ScenarioResult, summarize, table, write_json
from bench.scenarios import HOT_IDS, Scenario, selected
from bench.servers import Server, server_cores
from bench.wrk import Load, require_wrk, run_wrk
from tests.combinations import DEFAULTS, TEMPLATE_DIR
from tests.rendering import RenderedProject, render

BUILD_DIR = TEMPLATE_DIR / "build" / "bench"
ADMIN_EMAIL = "bench-admin@example.com"
POOL_SIZE = 8  # connections per engine, ours and the references alike


def render_project() -> RenderedProject:
    target = BUILD_DIR / "render"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    project = RenderedProject(render(target, DEFAULTS))
    project.sync()
    return project


def python_of(project: RenderedProject) -> Path:
    return project.path / ".venv" / "bin" / "python"


def hash_password(project: RenderedProject, password: str) -> str:
    completed = subprocess.run(
        [str(python_of(project)), "-c",
         "import sys; from argon2 import PasswordHasher; print(PasswordHasher().hash(sys.argv[1]))",
         password],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return completed.stdout.strip()


def forget_redis_keys(project: RenderedProject, redis_url: str, prefix: str) -> None:
    script = (
        "import sys, redis; r = redis.Redis.from_url(sys.argv[1]);"
        "[r.delete(k) for k in r.scan_iter(match=sys.argv[2] + '*', count=1000)]"
    )
    subprocess.run([str(python_of(project)), "-c", script, redis_url, prefix], check=False)


def sign_in(server: Server, password: str) -> str:
    form = urllib.parse.urlencode({"username": ADMIN_EMAIL, "password": password}).encode()
    with urllib.request.urlopen(server.base_url + "/api/v1/auth/token", form, timeout=30) as reply:  # noqa: S310
        token: str = json.loads(reply.read())["access_token"]
    return token


def build_servers(
    project: RenderedProject,
    options: BenchOptions,
    db_name: str,
    secrets_env: dict[str, str],
    scenarios: tuple[Scenario, ...],
) -> dict[str, Server]:
    """The servers `scenarios` run on, ours first."""
    core, _ = server_cores()
    db_url = database.database_url(options.postgres_url, db_name)
    ours_env = project.env({
        **secrets_env,
        "ENVIRONMENT": "production",
        "DATABASE_URL": db_url.replace("postgresql://", "postgresql+asyncpg://", 1),
        "FIRST_SUPERUSER_EMAIL": ADMIN_EMAIL,
        # Six servers share one PostgreSQL: bounded pools keep them under its max_connections.
        "DATABASE_POOL_SIZE": str(POOL_SIZE),
        "DATABASE_MAX_OVERFLOW": "0",
        "BENCH_POOL_SIZE": str(POOL_SIZE),
    })  # fmt: skip
    ours_env.pop("REDIS_URL", None)
    reference_env = {**ours_env, "BENCH_POSTGRES_DSN": db_url, "BENCH_REDIS_URL": options.redis_url}
    python = python_of(project)

    def ours(name: str, **extra: str) -> Server:
        env = {**ours_env, **extra}
        return Server(name, python, "app.main:create_app", project.path, env, core)

    def reference(name: str, module: str) -> Server:
        app = f"bench.reference.{module}:create_app"
        return Server(name, python, app, TEMPLATE_DIR, reference_env, core)

    servers = [
        ours("ours-redis", REDIS_URL=options.redis_url),
        ours("ours-memory"),
        # A one-entry cache: every read goes to the read model, still paying the cache's lookup.
        ours("ours-uncached", CACHE_MAX_ENTRIES="1"),
        reference("reference-redis", "redis_cache"),
        reference("reference-memory", "memory_cache"),
        reference("reference-sqlalchemy", "sqlalchemy_app"),
        reference("reference-asyncpg", "asyncpg_app"),
    ]
    needed = {name for scenario in scenarios for name in scenario.servers}
    return {server.name: server for server in servers if server.name in needed}


@contextmanager
def serving(servers: dict[str, Server]) -> Iterator[None]:
    log_dir = BUILD_DIR / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    try:
        for server in servers.values():
            ours = server.name.startswith("ours")
            server.start(log_dir, "/health/live" if ours else "/api/v1/users/x")
        yield
    finally:
        for server in servers.values():
            server.stop()


class Bench:
    def __init__(self, options: BenchOptions, scenarios: tuple[Scenario, ...],
                 servers: dict[str, Server], token: str, db_url: str,
                 ids: dict[str, Path]) -> None:  # fmt: skip
        self.options = options
        self.scenarios = scenarios
        self.servers = servers
        self.token = token
        self.db_url = db_url
        self.ids = ids
        self.client_core = server_cores()[1]
        self.rss: dict[str, list[int]] = {name: [] for name in servers}

    def drive(
        self, server: Server, scenario: Scenario, load: Load, seconds: int, offset: int
    ) -> Sample:
        events_before = (
            database.count_events(self.db_url, scenario.writes_event)
            if scenario.writes_event
            else 0
        )
        cpu_before = server.cpu_seconds()
        result = run_wrk(
            url=server.base_url, load=load, token=self.token, ids_file=self.ids[scenario.ids],
            offset=offset, seconds=seconds, connections=self.options.connections,
            core=self.client_core, script_path=BUILD_DIR / f"{server.name}.lua",
        )  # fmt: skip
        cpu_used = server.cpu_seconds() - cpu_before
        sample = Sample(result, cpu_used * 1e6 / max(result.requests, 1))
        if scenario.writes_event and server.name.startswith("ours"):
            sample.problems = self.acknowledged_but_missing(
                scenario, events_before, result.succeeded
            )
        return sample

    def acknowledged_but_missing(
        self, scenario: Scenario, before: int, acknowledged: int
    ) -> list[str]:
        """Every 2xx wrk counted must be a committed event (in-flight ones at the stop may add)."""
        time.sleep(1)  # let requests wrk abandoned at its deadline finish on the server
        committed = database.count_events(self.db_url, scenario.writes_event) - before
        if committed < acknowledged:
            return [f"{acknowledged - committed} acknowledged writes missing"]
        if committed > acknowledged + self.options.connections:
            return [f"{committed - acknowledged} more events than acknowledged writes"]
        return []

    def run(self) -> list[ScenarioResult]:
        options = self.options
        # Each side of each run (and of the warm-up) starts at its own slice of the id list.
        sides = max(len(scenario.servers) for scenario in self.scenarios)
        slices = sides * (options.runs + 1)
        for scenario in self.scenarios:  # warm caches, pools and code paths on every side
            stride = len(self.ids[scenario.ids].read_text().splitlines()) // slices
            for side, name in enumerate(scenario.servers):
                self.drive(
                    self.servers[name],
                    scenario,
                    scenario.load,
                    options.warmup_seconds,
                    side * stride,
                )
        samples: dict[tuple[str, str], list[Sample]] = {}
        for run in range(options.runs):
            for scenario in self.scenarios:
                stride = len(self.ids[scenario.ids].read_text().splitlines()) // slices
                for side, name in enumerate(scenario.servers):
                    offset = (sides * (run + 1) + side) * stride
                    sample = self.drive(
                        self.servers[name], scenario, scenario.load, options.seconds, offset
                    )
                    samples.setdefault((scenario.name, name), []).append(sample)
                    print(f"  run {run + 1}/{options.runs} {scenario.name:34} {name:20} "
                          f"{sample.wrk.requests_per_second:8,.0f} req/s", flush=True)  # fmt: skip
            for name, server in self.servers.items():
                self.rss[name].append(server.rss_bytes())
        results = []
        for scenario in self.scenarios:
            ours = samples[(scenario.name, scenario.ours)]
            result = ScenarioResult(
                scenario,
                summarize(ours),
                summarize(samples[(scenario.name, scenario.reference)]),
                summarize(samples[(scenario.name, scenario.limit)]) if scenario.limit else None,
            )
            result.problems = [problem for sample in ours for problem in sample.problems]
            results.append(result)
        return results


MAX_RSS_GROWTH_PERCENT = 10.0  # the target for our workers between runs 1 and 2


def rss_table(rss: dict[str, list[int]]) -> str:
    lines = [f"{'worker':20} {'RSS after run 1':>16} {'after run 2':>12} {'growth':>7}  result"]
    for name, values in rss.items():
        if len(values) < 2:
            lines.append(f"{name:20} {values[0] / 2**20:13.1f} MB {'(one run)':>12}")
            continue
        growth = (values[1] - values[0]) / values[0] * 100
        verdict = ""
        if name.startswith("ours"):
            verdict = "pass" if growth < MAX_RSS_GROWTH_PERCENT else "FAIL"
        lines.append(
            f"{name:20} {values[0] / 2**20:13.1f} MB {values[1] / 2**20:9.1f} MB {growth:6.1f}%  "
            f"{verdict}"
        )
    return "\n".join(lines)


def main() -> int:
    options = BenchOptions.from_environment()
    scenarios = selected(options.only)
    require_wrk()
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    print("rendering the default combination ...", flush=True)
    project = render_project()
    db_name = f"bench_{os.getpid()}"
    db_url = database.database_url(options.postgres_url, db_name)
    app_name = f"bench-{os.getpid()}"
    admin_password = secrets.token_urlsafe(16)
    secrets_env = {
        "APP_NAME": app_name,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "FIRST_SUPERUSER_PASSWORD": admin_password,
    }
    database.create_database(options.postgres_url, db_name)
    try:
        project.uv_run(
            "migrate",
            "alembic",
            "-x",
            f"database_url={db_url.replace('postgresql://', 'postgresql+asyncpg://', 1)}",
            "upgrade",
            "head",
        )
        print(f"seeding {options.users:,} users ...", flush=True)
        database.seed_users(
            db_url, options.users, hash_password(project, secrets.token_urlsafe(16))
        )
        all_ids = database.user_ids(db_url, role="user")
        ids = {"all": BUILD_DIR / "ids-all.txt", "hot": BUILD_DIR / "ids-hot.txt"}
        ids["all"].write_text("\n".join(all_ids) + "\n")
        ids["hot"].write_text("\n".join(all_ids[:HOT_IDS]) + "\n")
        servers = build_servers(project, options, db_name, secrets_env, scenarios)
        with serving(servers):
            token = sign_in(next(iter(servers.values())), admin_password)
            print(
                f"measuring: {options.runs} runs x {options.seconds} s, "
                f"{options.connections} connections",
                flush=True,
            )
            bench = Bench(options, scenarios, servers, token, db_url, ids)
            results = bench.run()
        print()
        print(table(results))
        print()
        print(rss_table(bench.rss))
        results_path = BUILD_DIR / "results.json"
        write_json(results_path, results, {
            "started_at": started.isoformat(),
            "command": "make bench",
            "options": asdict(options),
            "cores": os.cpu_count(),
            "rss_bytes": bench.rss,
        })  # fmt: skip
        print(f"\nresults: {results_path}")
    finally:
        database.drop_database(options.postgres_url, db_name)
        forget_redis_keys(project, options.redis_url, f"{app_name}:")
    return 0


if __name__ == "__main__":
    sys.exit(main())
