"""What the benches share: the machine's load, a server's CPU time, wrk, and the bare app.

CPU time is read from ``/proc/<pid>/stat`` (user + system, the process and its reaped
children), so a figure is the work the server did, whatever else the machine was doing;
throughput on a shared machine is only a ratio between servers measured in one interleaved
run. Every bench prints the load average it ran under.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

#: A bare FastAPI app answering the same route with the same shape, started like the mock
#: (uvicorn on a listening socket made with IPPROTO_TCP, so TCP_NODELAY is set). Its third
#: argument is ``access-log`` for uvicorn's own access log (a line per request on stdout, as
#: the mock's console access log), anything else for none.
BARE_APP = """
import socket, sys, uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.get("/_mock/health")
async def health(): return {"status": "ok"}
@app.get("/api/credits/balance/simple")
async def credits(): return {"code": 0, "data": {"available": 100, "frozen": 0, "total": 100}}
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
sock.bind(("127.0.0.1", 0)); sock.listen(2048)
print(f"export NEMO_API_URL=http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
loop, http, log = sys.argv[1:4]
level = "info" if log == "access-log" else "warning"  # uvicorn's access lines are INFO
config = uvicorn.Config(app, log_level=level, access_log=log == "access-log", loop=loop, http=http)
uvicorn.Server(config).run(sockets=[sock])
"""

_TICKS = os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} on {os.cpu_count()} cores"


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU seconds of ``pid`` (and of its reaped children, if asked)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / _TICKS


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and every process below it."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += rss_bytes(current)
            with open(f"/proc/{current}/task/{current}/children") as kids:
                todo.extend(int(k) for k in kids.read().split())
        except OSError:
            continue
    return total


@dataclass(frozen=True)
class WrkRun:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run_wrk(url: str, *, connections: int, seconds: float, headers: dict[str, str]) -> WrkRun:
    """``wrk`` with one thread (the other core is the server's), latency percentiles."""
    wrk = wrk_path()
    assert wrk is not None, "wrk is not installed (apt-get install wrk)"
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return _parse_wrk(out)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _parse_wrk(out: str) -> WrkRun:
    total = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    assert total is not None, out
    seconds = float(total.group(2)) * (0.001 if total.group(3) == "ms" else 1)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non2xx.group(1)) if non2xx else 0
    return WrkRun(
        requests=int(total.group(1)),
        seconds=seconds,
        errors=errors,
        p50_ms=_percentile(out, "50%"),
        p99_ms=_percentile(out, "99%"),
    )


def _percentile(out: str, label: str) -> float:
    found = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out)
    return float(found.group(1)) * _UNITS[found.group(2)] if found else float("nan")
