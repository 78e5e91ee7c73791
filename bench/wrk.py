"""Driving a server with wrk: a Lua script per scenario, a JSON summary back.

The script walks a list of user ids (one per line in a file) from an offset, so runs and sides
can be given disjoint ids, and reports requests, errors and latency percentiles as JSON.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.servers import pinned

_SCRIPT = """
local ids = {}
for line in io.lines(%(ids_file)s) do ids[#ids + 1] = line end
local counter = %(offset)d
local path_template = %(path)s
local body_template = %(body)s
wrk.method = %(method)s
wrk.headers["Authorization"] = %(authorization)s
if body_template ~= "" then wrk.headers["Content-Type"] = "application/json" end

request = function()
  counter = counter + 1
  local id = ids[(counter %% #ids) + 1]
  local page = tostring((counter %% %(pages)d) + 1)
  local path = path_template:gsub("{id}", id):gsub("{page}", page)
  local body = nil
  if body_template ~= "" then body = body_template:gsub("{n}", tostring(counter)) end
  return wrk.format(nil, path, nil, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write("BENCH-RESULT ", string.format(
    '{"requests": %%d, "duration_us": %%d, "non_2xx": %%d, "socket_errors": %%d, ' ..
    '"timeouts": %%d, "p50_us": %%d, "p99_us": %%d}',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write,
    e.timeout, latency:percentile(50), latency:percentile(99)), "\\n")
end
"""


@dataclass(frozen=True, slots=True)
class Load:
    method: str
    path: str  # may contain {id} and {page}
    body: str = ""  # may contain {n}, a number unique to the request
    pages: int = 1


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests: int
    duration_us: int
    non_2xx: int
    socket_errors: int
    timeouts: int
    p50_us: int
    p99_us: int

    @property
    def requests_per_second(self) -> float:
        return self.requests / (self.duration_us / 1e6)

    @property
    def succeeded(self) -> int:
        return self.requests - self.non_2xx


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal here


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError(
            "wrk is not installed: `apt-get install -y wrk` (make bench does this as root)"
        )
    return found


def run_wrk(
    *,
    url: str,
    load: Load,
    token: str,
    ids_file: Path,
    offset: int,
    seconds: int,
    connections: int,
    core: int | None,
    script_path: Path,
) -> WrkResult:
    script_path.write_text(
        _SCRIPT
        % {
            "ids_file": lua_string(str(ids_file)),
            "offset": offset,
            "path": lua_string(load.path),
            "body": lua_string(load.body),
            "method": lua_string(load.method),
            "authorization": lua_string(f"Bearer {token}"),
            "pages": load.pages,
        }
    )
    command = [
        require_wrk(), "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(script_path), url,
    ]  # fmt: skip
    completed = subprocess.run(
        pinned(command, core), capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return WrkResult(**json.loads(line.removeprefix("BENCH-RESULT ")))
    raise RuntimeError(
        f"wrk printed no result (exit {completed.returncode}):\n"
        f"{completed.stdout}\n{completed.stderr}"
    )
