"""CPU of one ``nemo-mock serve`` start: process start to first healthy answer, then stop.

The CPU (user + system) of the mock's process, as ``getrusage(RUSAGE_CHILDREN)`` counts it
once the process has been waited for, per start (the test suite starts the mock about 160
times). Compare figures taken at a similar load: a busy machine raises them too.

    python bench/start_cpu_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
from pathlib import Path

from nemo_mock.client_tests.live_mock import start_mock


def start_cpu() -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        start_mock("--port", "0", "--log-level", "warning", data_dir=Path(tmp) / "data").stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    cpus = [start_cpu() for _ in range(parser.parse_args().runs)]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"CPU per start of nemo-mock serve, {len(cpus)} starts (load {load}):")
    print("  " + "  ".join(f"{c:.2f}" for c in cpus) + " s")
    print(f"  median {statistics.median(cpus):.2f} s, mean {statistics.mean(cpus):.2f} s")


if __name__ == "__main__":
    main()
