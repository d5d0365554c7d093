"""``--tiers`` (``tests/helpers/tiers.py``): a fast test that fails stops the session before
the later tiers run, with and without pytest-xdist workers; the summary says when each tier
ended and how many tests it ran."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.order import TIERS, tier_named

ROOT = Path(__file__).parents[1]

#: A project of its own: two fast modules (one fails at once, one takes a second), then six
#: live modules; collected in that order (no ordering plugin here).
MODULES = {
    "test_a_fails.py": "def test_fails():\n    assert False\n",
    "test_b_slowly.py": "import time\n\ndef test_ok():\n    time.sleep(1)\n",
    **{
        f"test_c{n}_live.py": (
            "import pytest\n\npytestmark = pytest.mark.live\n\ndef test_live():\n    pass\n"
        )
        for n in range(6)
    },
}


def _run(folder: Path, modules: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    for name, text in modules.items():
        (folder / name).write_text(text)
    (folder / "pytest.ini").write_text("[pytest]\nmarkers =\n    live: a live test\n")
    # only the plugins these runs are about (the tiers, xdist): the installed ones (the
    # mock's, Schemathesis, Hypothesis…) tripled each run's CPU (3.1 vs 0.9 CPU-s)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "tests.helpers.tiers",
        "-p",
        "xdist.plugin",
        "-p",
        "no:cacheprovider",
    ]
    return subprocess.run(
        [*command, "-rA", "--tiers", *args, str(folder)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_markers_name_the_tier():
    assert [TIERS[tier_named(m)] for m in ([], ["ffmpeg"], ["live"], ["slow", "live"])] == [
        "fast",
        "fast",
        "live",
        "slow",
    ]
    assert TIERS[tier_named({"slow", "nightly"})] == "nightly"


@pytest.mark.live
@pytest.mark.parametrize("workers", [(), ("-n", "2", "--dist", "loadfile")], ids=["plain", "xdist"])
def test_a_failing_fast_test_stops_the_session_before_the_later_tiers(
    tmp_path: Path, workers: tuple[str, ...]
):
    run = _run(tmp_path, MODULES, *workers)
    out = run.stdout
    assert run.returncode != 0, out
    assert "FAILED test_a_fails.py::test_fails" in out
    assert "a fast test failed (test_a_fails.py::test_fails): the later tiers are not run" in out
    ran_live = out.count("PASSED test_c")
    # without workers nothing after the failure runs; with two, at most the modules already
    # handed out (xdist gives each worker two to start with)
    assert ran_live <= (2 if workers else 0), out
    assert "test_c5_live.py" not in out, out


@pytest.mark.live
def test_the_summary_says_when_each_tier_ended(tmp_path: Path):
    passing = {**MODULES, "test_a_fails.py": "def test_fine():\n    pass\n"}
    run = _run(tmp_path, passing, "-n", "2")
    assert run.returncode == 0, run.stdout
    (line,) = [x for x in run.stdout.splitlines() if x.startswith("tiers:")]
    assert "fast ended at 0:0" in line and "(2 tests)" in line, line
    assert "live ended at 0:0" in line and "(6 tests)" in line, line
    assert "stopped" not in run.stdout


@pytest.mark.live
def test_a_worker_takes_its_next_module_only_at_the_last_test_of_the_one_it_runs(tmp_path: Path):
    """Two workers, a module of two long tests, then three short modules: the short ones all
    run on the other worker. (pytest-xdist's own loadfile gives the long module's worker the
    next module at once, to wait behind it.)"""
    modules = {
        "test_a_long.py": "import time\n\ndef test_1():\n    time.sleep(2)\n\n"
        "def test_2():\n    time.sleep(2)\n",
        **{f"test_{name}_short.py": "def test_short():\n    pass\n" for name in "bcd"},
    }
    run = _run(tmp_path, modules, "-n", "2", "--dist", "loadfile", "-v")
    assert run.returncode == 0, run.stdout
    worker = {}
    for line in run.stdout.splitlines():
        if "PASSED test_" in line and line.startswith("[gw"):
            worker[line.split("PASSED ")[1].split("::")[0]] = line[1:4]
    assert len(worker) == 4, run.stdout
    long_one = worker.pop("test_a_long.py")
    assert long_one not in worker.values(), run.stdout
