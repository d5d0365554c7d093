"""The journal under 200,000 requests: memory, objects for the garbage collector, GC pauses.

Each request is a real exchange through the journal's own recording (``Exchange`` fed the
ASGI messages of an authenticated ``GET credits``, then ``Journal.append``), with the default
bound of 10,000 entries. The same run is made twice in one process, interleaved in blocks:
the journal as it is (entries kept as JSON bytes) and a journal that keeps the decoded
models (what it did before issue 18). Printed: the resident memory each holds, the objects
the collector tracks, the longest full collection, and the recording CPU per request.

    python bench/journal_bench.py [--requests 200000]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadgen import load_average
from nemo_mock.mock_server.domain.clock import ShiftableClock
from nemo_mock.mock_server.edge.facts import facts_of
from nemo_mock.mock_server.journal.book import Journal
from nemo_mock.mock_server.journal.entry import JournalEntry
from nemo_mock.mock_server.journal.middleware import Exchange

TOKEN = b"Bearer nmv_usr_0123456789abcdefghijklmnopqrstuv"
START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-length", b"58"), (b"content-type", b"application/json")],
}
BODY = {
    "type": "http.response.body",
    "body": b'{"code":0,"data":{"available":100,"frozen":0,"total":100}}',
    "more_body": False,
}


def exchange_entry(clock: ShiftableClock, n: int) -> JournalEntry:
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/api/credits/balance/simple",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"authorization", TOKEN),
            (b"x-client-id", b"client-%d" % (n % 50)),
            (b"user-agent", b"bench"),
        ],
    }
    exchange = Exchange(scope, clock)
    exchange._on_send(START)
    exchange._on_send(BODY)
    exchange._sent(BODY)
    return exchange.entry(None, facts_of(scope))


class ModelJournal:
    """The journal before: the decoded entries themselves, 10,000 at most."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.entries: deque[JournalEntry] = deque(maxlen=capacity)

    def append(self, entry: JournalEntry) -> None:
        entry.model_dump_json()  # it measured each entry's size so
        self.entries.append(entry)


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def full_collection_ms() -> float:
    started = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - started) * 1000


def measure(kind: str, requests: int) -> None:
    """One journal in this (child) process: what it holds and costs, as one line of numbers."""
    clock = ShiftableClock()
    for n in range(200):  # warm: imports, caches
        exchange_entry(clock, n)
    gc.collect()
    rss, objects = rss_mb(), len(gc.get_objects())
    journal: Any = Journal(10_000) if kind == "bytes" else ModelJournal()
    began = time.process_time()
    for n in range(requests):
        journal.append(exchange_entry(clock, n))
    cpu = time.process_time() - began
    gc.collect()
    pause = max(full_collection_ms() for _ in range(3))
    grown = len(gc.get_objects()) - objects
    print(f"{rss_mb() - rss:.1f} {grown} {pause:.2f} {cpu / requests * 1e6:.1f}")


KINDS = {"bytes": "bytes (now)", "models": "models (before)"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--kind", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.kind:
        measure(args.kind, args.requests)
        return
    print(f"before: {load_average()}")
    results: dict[str, list[list[float]]] = {kind: [] for kind in KINDS}
    for _ in range(args.runs):
        for kind in KINDS:  # alternating, each in a fresh process
            command = [sys.executable, __file__, "--kind", kind, "--requests", str(args.requests)]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            results[kind].append([float(x) for x in out.split()])
    print(f"\n{args.requests:,} recorded requests, 10,000 entries kept; median of {args.runs}")
    medians = {
        k: [statistics.median(run[i] for run in v) for i in range(4)] for k, v in results.items()
    }
    for kind, (mb, objects, pause, cpu) in medians.items():
        print(
            f"  {KINDS[kind]:<16} holds {mb:6.1f} MB, {objects:9,.0f} tracked objects, "
            f"full GC {pause:6.1f} ms, recording {cpu:5.1f} µs CPU/request"
        )
    now, before = medians["bytes"], medians["models"]
    print(
        f"  now / before: memory {now[0] / before[0]:.2f}, full GC {now[2] / before[2]:.2f}, "
        f"recording CPU {now[3] / before[3]:.2f}"
    )
    print(f"after: {load_average()}")


if __name__ == "__main__":
    main()
