"""A throwaway redis-server on a spare port, which a test can stop, restart, freeze and thaw."""

from __future__ import annotations

import asyncio
import shutil
import signal
import socket
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import RedisError

from tests.support.services import unavailable


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RedisProcess:
    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            unavailable("redis-server is not installed: the outage tests start their own Redis")
        self._binary = binary
        self._workdir = workdir
        self.port = spare_port()
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        """Start (or restart, on the same port) and wait until it answers PING."""
        self._process = await asyncio.create_subprocess_exec(
            self._binary,
            *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self._workdir)),
            *("--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await self._wait_until_answering()

    async def stop(self) -> None:
        process = self._require_process()
        process.send_signal(signal.SIGCONT)  # a frozen server cannot handle SIGTERM
        process.terminate()
        await process.wait()
        self._process = None

    def freeze(self) -> None:
        """Stop the process without closing its sockets: Redis hangs, connections time out."""
        self._require_process().send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self._require_process().send_signal(signal.SIGCONT)

    async def close(self) -> None:
        if self._process is not None and self._process.returncode is None:
            await self.stop()

    def _require_process(self) -> asyncio.subprocess.Process:
        if self._process is None:
            raise RuntimeError("the Redis process is not running")
        return self._process

    async def _wait_until_answering(self) -> None:
        client = Redis.from_url(self.url, socket_connect_timeout=0.2, socket_timeout=0.2)
        try:
            async with asyncio.timeout(10):
                while True:
                    try:
                        if await client.ping():
                            return
                    except (RedisError, OSError):
                        await asyncio.sleep(0.02)
        finally:
            await client.aclose()
