"""Starting one-worker uvicorn servers pinned to a core, and reading their CPU time and RSS."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(command: list[str], core: int | None) -> list[str]:
    """`command` under `taskset -c core` when there is a core to pin to and taskset exists."""
    taskset = shutil.which("taskset")
    if core is None or taskset is None:
        return command
    return [taskset, "-c", str(core), *command]


def server_cores() -> tuple[int | None, int | None]:
    """(server core, client core): different ones when the machine has two or more."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None, None
    return cores[0], cores[1]


@dataclass
class Server:
    name: str
    python: Path
    app: str
    cwd: Path
    env: dict[str, str]
    core: int | None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log_dir: Path, ready_path: str, timeout: float = 60) -> None:
        command = [
            str(self.python), "-m", "uvicorn", "--factory", self.app,
            "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1",
            "--loop", "uvloop", "--http", "httptools", "--no-access-log",
            "--log-level", "warning",
        ]  # fmt: skip
        self.log_path = log_dir / f"{self.name}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                pinned(command, self.core), cwd=self.cwd, env=self.env, stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        self._wait_until_answering(ready_path, timeout)

    def _wait_until_answering(self, path: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited while starting; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base_url + path, timeout=2):  # noqa: S310
                    return
            except urllib.error.HTTPError:
                return  # it answers (a 401 or 404 still means it is serving)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer {path} within {timeout} s")

    def cpu_seconds(self) -> float:
        """User plus system CPU time the worker has used so far."""
        fields = self._stat().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def rss_bytes(self) -> int:
        fields = self._stat().rsplit(")", 1)[1].split()
        return int(fields[21]) * PAGE_SIZE

    def _stat(self) -> str:
        if self.process is None:
            raise RuntimeError(f"{self.name} is not running")
        return Path(f"/proc/{self.process.pid}/stat").read_text()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
