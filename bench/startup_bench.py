"""Time from process start to the first 200 on a health route: nemo-mock vs a bare FastAPI app.

Both are started the same way (a fresh Python process, uvicorn, a free port), several times,
alternating, and the medians are compared. Target: nemo-mock ready in under 2 s.

    python bench/startup_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from nemo_mock.client_tests.live_mock import launch

BARE_APP = """
import socket, sys, uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.get("/_mock/health")
def health(): return {"status": "ok"}
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
sock.bind(("127.0.0.1", 0)); sock.listen(128)
print(f"export NEMO_API_URL=http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
"""

COMMANDS = {
    "nemo-mock": [
        sys.executable,
        "-m",
        "nemo_mock",
        "serve",
        "--port",
        "0",
        "--log-level",
        "warning",
    ],
    "bare fastapi": [sys.executable, "-c", BARE_APP],
}


def time_to_ready(command: list[str]) -> float:
    started = time.perf_counter()
    server = launch(command)
    elapsed = time.perf_counter() - started
    server.stop()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, command in COMMANDS.items():
            times[name].append(time_to_ready(command))
    mock, bare = (statistics.median(times[n]) for n in COMMANDS)
    print(f"startup to first healthy response, median of {runs} runs each:")
    print(f"  nemo-mock     {mock:6.3f} s   (target < 2 s: {'met' if mock < 2 else 'MISSED'})")
    print(f"  bare fastapi  {bare:6.3f} s")
    print(f"  ratio nemo-mock / bare = {mock / bare:.2f}")


if __name__ == "__main__":
    main()
