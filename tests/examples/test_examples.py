"""The README's worked examples, run through ``nemo-mock check-client`` as a user would:
the bash and Node clients pass, and the harness's reports say so."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tests.helpers.prompts import QUICK_PROMPT, quick_env

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg, pytest.mark.slow]

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
        env=quick_env(),  # the clients are judged, not the picture
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


@pytest.mark.skipif(
    not (shutil.which("bash") and shutil.which("curl") and shutil.which("jq")),
    reason="the bash example needs bash, curl and jq",
)
def test_the_bash_example_passes(tmp_path):
    done = check_client(tmp_path, "bash", str(EXAMPLES / "bash" / "nemo-client.sh"))
    assert_all_passed(done, tmp_path, len(SCENARIOS))


@pytest.mark.skipif(not shutil.which("node"), reason="the Node example needs node 18+")
def test_the_node_example_passes(tmp_path):
    done = check_client(tmp_path, "node", str(EXAMPLES / "node" / "nemo-client.mjs"))
    assert_all_passed(done, tmp_path, len(SCENARIOS))


def test_a_careless_client_is_failed_with_the_rule_and_the_evidence(tmp_path):
    done = check_client(
        tmp_path,
        sys.executable,
        "-m",
        "nemo_mock.client_tests.careless_client",
        scenarios=["render-stuck"],
    )
    assert done.returncode == 1
    assert "0 of 1 scenarios passed" in done.stdout
    junit = ET.parse(tmp_path / "junit.xml").getroot()
    failed = [
        case.get("name") for case in junit.iter("testcase") if case.find("failure") is not None
    ]
    assert "render-poll-cadence" in failed
    report = (tmp_path / "report.md").read_text()
    assert "### render-poll-cadence (§4.8) failed" in report
    assert "(getRender) → 200, render " in report
    # a failed scenario keeps its media for the post-mortem
    assert (tmp_path / "runs" / "render-stuck" / "mock-data").is_dir()
