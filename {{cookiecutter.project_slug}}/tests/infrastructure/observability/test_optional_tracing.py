"""Tracing is optional: without it (or with it switched off) no OpenTelemetry SDK is loaded.

These tests hold in every generated project, with `opentelemetry` "yes" or "no".
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[3]
TRACING_DIRECTORY = PROJECT_ROOT / "app" / "infrastructure" / "tracing"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_tracing_package_imports_opentelemetry():
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in (PROJECT_ROOT / "app").rglob("*.py")
        if TRACING_DIRECTORY not in path.parents
        and any(name.split(".")[0] == "opentelemetry" for name in imports_of(path))
    ]
    assert offenders == []


# Migrates a fresh database, starts the real app through its lifespan and serves a request,
# then lists what got loaded.
# (FastAPI itself may import the opentelemetry *API*; the SDK and instrumentation are ours. The
# tracing package's empty __init__ may be found by the schema's feature scan, and its `loading`
# module decides whether to trace: neither imports OpenTelemetry.)
RUN_APP = textwrap.dedent(
    """
    import asyncio, sys
    import httpx
    from app.main import create_app
    from app.settings import Settings
    from tests.support.database import migrate

    async def main() -> None:
        settings = Settings(
            environment="test",
            database_url=sys.argv[1],
            secret_key="test-secret-key-that-is-long-enough-for-hs256",
        )
        await asyncio.to_thread(migrate, sys.argv[1])
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                assert (await client.get("/health/live")).status_code == 200
        loaded = sorted(
            name for name in sys.modules
            if name.startswith(("opentelemetry.sdk", "opentelemetry.instrumentation",
                                "opentelemetry.exporter", "app.infrastructure.tracing."))
            and name != "app.infrastructure.tracing.loading"  # decides, imports no SDK
        )
        print(",".join(loaded))

    asyncio.run(main())
    """
)


@pytest.mark.parametrize(
    "otel_environment",
    [{}, {"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"}],
    ids=["no exporter configured", "sdk disabled"],
)
def test_the_running_app_loads_no_opentelemetry_sdk_unless_tracing_is_on(
    tmp_path, otel_environment
):
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("OTEL_")
    }
    environment.update(otel_environment)
    completed = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", RUN_APP, f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == ""
