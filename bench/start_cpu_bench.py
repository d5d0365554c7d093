"""CPU of one ``nemo-mock serve`` start: process start to first healthy answer, cold and forked.

Each start runs to the mock's first healthy answer; its CPU (user + system of the mock's own
process, from ``/proc/<pid>/stat`` just before it is stopped) and the time to that answer
are taken, in turns: a cold start (a new interpreter: ``python -m nemo_mock serve``), then a
forked one (``NEMO_FORKED_MOCKS=1``: forked from a process that imported the mock once,
``client_tests/forked_start.py``; the forkserver's own start is not counted). The test
suite starts the mock about 160 times. Compare figures taken at a similar load: a busy
machine raises them too.

    python bench/start_cpu_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loadgen import cpu_seconds
from nemo_mock.client_tests.live_mock import start_mock


def start(fork: bool) -> tuple[float, float]:
    """CPU-seconds and seconds of one start, to its first healthy answer."""
    with tempfile.TemporaryDirectory() as tmp:
        mock = start_mock("--log-level", "warning", data_dir=Path(tmp) / "data", fork=fork)
        try:
            return cpu_seconds(mock.process.pid), mock.ready_seconds
        finally:
            mock.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    start(fork=True)  # the forkserver starts (imports) once, before the turns
    taken: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for _ in range(runs):
        for fork in (False, True):
            taken[fork].append(start(fork))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"one nemo-mock serve start, {runs} of each in turns (load {load}):")
    for fork, name in ((False, "cold  "), (True, "forked")):
        cpu = statistics.median(c for c, _ in taken[fork])
        ready = statistics.median(r for _, r in taken[fork])
        print(f"  {name} median {cpu:.2f} CPU-s, {ready:.2f} s to healthy")
    ratio = statistics.median(c for c, _ in taken[True]) / statistics.median(
        c for c, _ in taken[False]
    )
    print(f"  forked / cold CPU: {ratio:.2f}")


if __name__ == "__main__":
    main()
