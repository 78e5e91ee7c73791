"""The rendered service, migrated and served by uvicorn over a real socket."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time

import httpx
import psycopg
from psycopg import sql

from tests.reliability.servers import free_port
from tests.rendering import RenderedProject

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "admin-password-for-tests"


def asyncpg_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


def create_database(server_url: str, name: str) -> str:
    """A fresh database on the server at `server_url` (any database path); its URL."""
    base = server_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{base}/{name}"


def drop_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        connection.execute(statement.format(sql.Identifier(name)))


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"


class ServedApp:
    """One uvicorn worker serving the rendered app with `settings` as its environment."""

    def __init__(self, project: RenderedProject, database_url: str, **settings: str) -> None:
        self.project = project
        self.database_url = database_url
        self.port = free_port()
        self.environment = project.env({
            "ENVIRONMENT": "test",
            "LOG_LEVEL": "WARNING",
            "APP_NAME": unique_name("reliability"),
            "SECRET_KEY": secrets.token_urlsafe(32),
            "DATABASE_URL": asyncpg_url(database_url),
            "FIRST_SUPERUSER_EMAIL": ADMIN_EMAIL,
            "FIRST_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
            **settings,
        })  # fmt: skip
        if "REDIS_URL" not in settings:
            self.environment.pop("REDIS_URL", None)
        self.process: subprocess.Popen[str] | None = None
        self.log = project.path / f"uvicorn-{self.port}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def migrate(self) -> None:
        self.project.uv_run("migrate", "alembic", "upgrade", "head", extra_env=self.environment)

    def start(self, timeout: float = 60) -> None:
        # Served as the image serves it: its entrypoint, with the render's virtualenv first on
        # PATH, so what the suite finds holds for the server configuration users deploy.
        entrypoint = self.project.path / "docker" / "entrypoint.sh"
        command = ["/bin/sh", str(entrypoint), "serve", "--no-access-log"]
        environment = {
            **self.environment,
            "PATH": f"{self.project.path / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
        }
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=self.project.path, env=environment, stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"uvicorn exited at start-up:\n{self.output()}")
            try:
                if httpx.get(f"{self.base_url}/health/live", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"the app did not answer within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text()[-6000:] if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def token(self, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> str:
        reply = httpx.post(
            f"{self.base_url}/api/v1/auth/token",
            data={"username": email, "password": password},
            timeout=30,
        )
        assert reply.status_code == 200, reply.text
        token: str = reply.json()["access_token"]
        return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create_user(app: ServedApp, token: str, name: str, *, role: str = "user") -> str:
    reply = httpx.post(
        f"{app.base_url}/api/v1/users",
        json={
            "email": f"{name}@example.com",
            "username": name,
            "full_name": name.title(),
            "password": f"{name}-password-1",
            "role": role,
        },
        headers=bearer(token),
        timeout=30,
    )
    assert reply.status_code == 201, reply.text
    user_id: str = reply.json()["id"]
    return user_id


def user_password(name: str) -> str:
    return f"{name}-password-1"
