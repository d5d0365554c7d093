"""Running the README's worked examples through ``nemo-mock check-client`` as a user would,
and reading its reports (the tests: ``test_*_example.py`` here, one module each so that
the slow tier runs them side by side)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from tests.helpers.prompts import QUICK_PROMPT, quick_env

EXAMPLES = Path(__file__).parents[2] / "examples"
SCENARIOS = [
    "baseline",
    "silent-edit",
    "stream-drops-during-generation",
    "render-fails-once",
    "rate-limited-then-ok",
    "out-of-credits",
]


def check_client(report: Path, *client: str, scenarios=SCENARIOS) -> subprocess.CompletedProcess:
    picked = [arg for name in scenarios for arg in ("--scenario", name)]
    # the clients' behaviour is judged, not the video: a short one (QUICK_PROMPT)
    command = [sys.executable, "-m", "nemo_mock", "check-client", *picked, "--prompt", QUICK_PROMPT]
    return subprocess.run(
        [*command, "--report", str(report), "--", *client],
        capture_output=True,
        text=True,
        timeout=900,
        # the clients are judged, not the picture; their documented waits at 0.02 of real
        # time (check-client's default is 0.1): the same verdicts, 10 s less waiting a module
        env=quick_env(NEMO_CHECK_TIME_SCALE="0.02"),
    )


def assert_all_passed(done: subprocess.CompletedProcess, report: Path, count: int) -> None:
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{count} of {count} scenarios passed" in done.stdout
    suites = ET.parse(report / "junit.xml").getroot().findall("testsuite")
    assert len(suites) == count
    assert all(suite.get("failures") == "0" for suite in suites)
    # live progress per scenario, and no media kept for scenarios that passed
    assert done.stdout.count(": running…") == count
    assert done.stdout.count(": passed (") == count
    assert not list((report / "runs").rglob("*.mp4"))
    assert not list((report / "runs").rglob("mock-data"))
    # every scenario ran with the task's prompt given (--prompt), as its written copy says
    copies = list((report / "runs").glob("*/scenario.yaml"))
    assert len(copies) == count
    for copy in copies:
        assert yaml.safe_load(copy.read_text(encoding="utf-8"))["task"]["prompt"] == QUICK_PROMPT
