"""REST throughput and CPU per request: nemo-mock vs a bare FastAPI app vs Stoplight Prism.

All three answer ``GET /api/credits/balance/simple`` (Prism mocks it from the skill contract,
``contracts/skill/openapi.yaml``) to the same load generator (``wrk``, one thread, keep-alive
connections), in rounds that alternate the servers, at 16 and 64 connections. Each server's
CPU time over its runs (``/proc/<pid>/stat``) divided by the requests it answered is its cost
per request; on a shared machine that, and the ratios from one interleaved run, are the
figures that mean something. Prism runs where ``node`` and the npm package are found (set
``PRISM`` to its binary, or install ``@stoplight/prism-cli``); otherwise it is skipped with
the reason. A mock that writes its console access log is also paired with the bare app
writing uvicorn's own access log (both a line per request to stdout); the load average is
printed before and after.

    python bench/rest_bench.py [--rounds 3] [--seconds 4] [--mock-args ARGS ...]

``--mock-args`` given several times runs several mocks side by side (what the journal and
the access log cost: ``--mock-args= --mock-args=--no-access-log --mock-args=--no-control``).
``--baseline REF`` also runs each of them from git ``REF`` (a temporary worktree, removed
after) in the same rounds, and prints the CPU per request of this code over that one's: a
change measured against the code before it, interleaved, on the same machine and load.

Targets (issue 18): the mock's CPU per request within 1.25x the bare app's at 16 and 64
connections, and at least 2x Prism's throughput.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadgen import BARE_APP, cpu_seconds, load_average, run_wrk, wrk_path
from nemo_mock.client_tests.live_mock import launch, serve_args, serve_command

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "contracts" / "skill" / "openapi.yaml"
PATH = "/api/credits/balance/simple"


@dataclass
class Server:
    name: str
    url: str
    pid: int
    stop: object
    headers: dict[str, str] = field(default_factory=dict)
    #: For a mock run from ``--baseline``: the name of the mock of this code it is compared to.
    baseline_of: str | None = None
    requests: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    errors: int = 0
    p99: list[float] = field(default_factory=list)


def prism_binary() -> tuple[str | None, str]:
    """Prism's command, or None and why not."""
    if shutil.which("node") is None:
        return None, "node is not installed"
    for candidate in (
        os.environ.get("PRISM"),
        shutil.which("prism"),
        str(ROOT / "node_modules" / ".bin" / "prism"),
        "/tmp/perf-prism/node_modules/.bin/prism",
    ):
        if candidate and Path(candidate).exists():
            return candidate, ""
    return None, "@stoplight/prism-cli is not installed (npm install @stoplight/prism-cli)"


@contextlib.contextmanager
def prism(binary: str) -> Iterator[tuple[str, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [binary, "mock", str(CONTRACT), "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            httpx.get(url + PATH, headers={"Authorization": "Bearer nmv_usr_x"}, timeout=1)
            break
        time.sleep(0.2)
    try:
        yield url, _node_pid(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _node_pid(pid: int) -> int:
    """Prism's launcher may exec node or start it as a child: the process doing the work."""
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/task/{pid}/children") as kids:
            children = [int(k) for k in kids.read().split()]
        if children:
            return children[0]
    return pid


BARE = "bare fastapi"
#: The bare app with uvicorn's access log on: the pairing for a mock writing its own.
BARE_LOGGED = "bare fastapi +access log"


def logs_access(mock_name: str) -> bool:
    """Whether the mock so named writes its console access log (on unless turned off, and
    only with the journal it listens to)."""
    return "--no-access-log" not in mock_name and "--no-control" not in mock_name


def measure(server: Server, connections: int, seconds: float) -> None:
    before = cpu_seconds(server.pid)
    run = run_wrk(
        server.url + PATH, connections=connections, seconds=seconds, headers=server.headers
    )
    server.cpu += cpu_seconds(server.pid) - before
    server.requests += run.requests
    server.seconds += run.seconds
    server.errors += run.errors
    server.p99.append(run.p99_ms)


def report(servers: list[Server], connections: int) -> None:
    print(f"\n{connections} connections")
    width = max(26, *(len(s.name) + 1 for s in servers))
    for s in servers:
        rate = s.requests / s.seconds if s.seconds else 0
        per = s.cpu / s.requests * 1e6 if s.requests else float("nan")
        p99 = statistics.median(s.p99) if s.p99 else float("nan")
        print(
            f"  {s.name:<{width}} {rate:8.0f} req/s  {per:7.1f} µs CPU/request  "
            f"p99 {p99:6.1f} ms  errors {s.errors}"
        )
    by = {s.name: s for s in servers}
    for mock in (s for s in servers if s.name.startswith("nemo-mock ") or s.name == "nemo-mock"):
        baseline = next((b for b in servers if b.baseline_of == mock.name), None)
        if baseline is not None and baseline.requests and mock.requests:
            ratio = (mock.cpu / mock.requests) / (baseline.cpu / baseline.requests)
            print(f"  CPU per request {mock.name} / {baseline.name} = {ratio:.2f}  (this / REF)")
        pairings = [BARE, BARE_LOGGED] if logs_access(mock.name) else [BARE]
        for bare in (by[name] for name in pairings if name in by):
            ratio = (mock.cpu / mock.requests) / (bare.cpu / bare.requests)
            print(f"  CPU per request {mock.name} / {bare.name} = {ratio:.2f}  (target <= 1.25)")
        if "prism" in by:
            prism_s = by["prism"]
            throughput = (mock.requests / mock.seconds) / (prism_s.requests / prism_s.seconds)
            print(f"  throughput {mock.name} / prism = {throughput:.2f}  (target >= 2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--connections", default="16,64")
    parser.add_argument(
        "--mock-args",
        action="append",
        help="extra nemo-mock serve flags; given again, another mock in the same run "
        "(e.g. --mock-args= --mock-args=--no-access-log --mock-args=--no-control)",
    )
    parser.add_argument("--bare-loop", default="auto", help="the bare app's uvicorn --loop")
    parser.add_argument(
        "--bare-http",
        default="auto",
        help="the bare app's uvicorn --http (auto: httptools when installed, as the mock's)",
    )
    parser.add_argument("--no-prism", action="store_true")
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="also run each mock from this git commit or branch, interleaved, and print "
        "this code's CPU per request over that one's",
    )
    args = parser.parse_args()
    if wrk_path() is None:
        sys.exit("skipped: wrk is not installed (apt-get install wrk)")
    print(f"before: {load_average()}")
    with contextlib.ExitStack() as stack:
        servers = start_servers(stack, args)
        for connections in (int(c) for c in args.connections.split(",")):
            for s in servers:
                s.requests = s.errors = 0
                s.seconds = s.cpu = 0.0
                s.p99 = []
            for _ in range(args.rounds):
                for s in servers:
                    measure(s, connections, args.seconds)
            report(servers, connections)
    print(f"\nafter: {load_average()}")


def start_servers(stack: contextlib.ExitStack, args: argparse.Namespace) -> list[Server]:
    servers = []
    tree = checkout(stack, args.baseline) if args.baseline else None
    for extra in args.mock_args or [""]:
        name = f"nemo-mock {extra}".strip()
        commands: list[tuple[str, list[str], str | None]] = [
            (name, serve_command(*shlex.split(extra)), None)
        ]
        if tree is not None:
            older = f"nemo-mock@{args.baseline} {extra}".strip()
            commands.append((older, baseline_command(tree, *shlex.split(extra)), name))
        for label, command, compared_to in commands:
            mock = launch(command)
            stack.callback(mock.stop)
            token = httpx.post(
                mock.url + "/api/auth/anonymous-token",
                headers={"X-Client-Id": str(uuid.uuid4())},
            ).json()["data"]["token"]
            auth = {"Authorization": f"Bearer {token}"}
            servers.append(
                Server(label, mock.url, mock.process.pid, mock.stop, auth, baseline_of=compared_to)
            )
    bares = [(BARE, "quiet")]
    if any(logs_access(s.name) for s in servers):  # the same work on both sides, paired too
        bares.append((BARE_LOGGED, "access-log"))
    for name, log in bares:
        bare = launch([sys.executable, "-c", BARE_APP, args.bare_loop, args.bare_http, log])
        stack.callback(bare.stop)
        servers.append(Server(name, bare.url, bare.process.pid, bare.stop, dict(auth)))
    binary, why = prism_binary() if not args.no_prism else (None, "--no-prism")
    if binary is None:
        print(f"prism: skipped ({why})")
    else:
        url, pid = stack.enter_context(prism(binary))
        servers.append(Server("prism", url, pid, None, dict(auth)))
    return servers


def checkout(stack: contextlib.ExitStack, ref: str) -> Path:
    """A temporary git worktree of ``ref`` (removed when ``stack`` closes)."""
    folder = Path(tempfile.mkdtemp(prefix="rest-bench-baseline-"))
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--quiet", "--detach", str(folder), ref],
        check=True,
    )
    stack.callback(
        subprocess.run,
        ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)],
        check=False,
    )
    if not (folder / "nemo_mock" / "__init__.py").is_file():
        sys.exit(f"--baseline {ref}: that commit has no nemo_mock package to run")
    return folder


def baseline_command(tree: Path, *args: str) -> list[str]:
    """``serve_command`` run from the worktree ``tree``: its ``nemo_mock`` imported first."""
    boot = (
        f"import sys; sys.path.insert(0, {str(tree)!r}); sys.argv[0] = 'nemo-mock'; "
        "from nemo_mock.mock_server.cli import main; main()"
    )
    return [sys.executable, "-c", boot, *serve_args(*args)]


if __name__ == "__main__":
    main()
