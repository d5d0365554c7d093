"""What the live explorations share: the fast task, the time scales, one check-client run."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from nemo_mock.client_tests.planted_bug_client import ENV

REPO = Path(__file__).resolve().parents[2]
REFERENCE = "nemo_mock.client_tests.reference_client"
PLANTED = "nemo_mock.client_tests.planted_bug_client"
#: Short and small, so that a render takes about a second (see tests/clients/runs.py).
FAST_TASK = """\
name: fast-task
title: A 2-second slideshow
description: One photo, a 2-second 480p slideshow with music.
client_should: Export the MP4.
task:
  prompt: turn my photos into a 2-second 480p video slideshow with transitions and music
  files: [photo-1.png]
  duration: 2.0
"""
TIMING = ["--time-scale", "0.02", "--agent-time-scale", "0.001", "--timeout", "60"]


def check_client(
    client: str, report: Path, *args: str, bug: str | None = None
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "nemo_mock",
        "check-client",
        *args,
        "--report",
        str(report),
        "--",
        sys.executable,
        "-m",
        client,
    ]
    env = {**os.environ, ENV: bug} if bug else None
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)


def failed_cases(report: Path, suite: str = "minimal-schedule") -> set[str]:
    root = ET.parse(report / "junit.xml").getroot()
    found = {s.get("name"): s for s in root.iter("testsuite")}
    return {c.get("name") for c in found[suite].iter("testcase") if c.find("failure") is not None}


def common_args(root: Path) -> list[str]:
    """The fast task written under ``root``, at the fast time scales, two jobs, seed 0."""
    task = root / "fast-task.yaml"
    task.write_text(FAST_TASK, encoding="utf-8")
    return ["--scenario", str(task), *TIMING, "--jobs", "2", "--seed", "0"]


def explore_reference(
    root: Path, schedules: int, common: list[str]
) -> subprocess.CompletedProcess[str]:
    """The reference client explores ``schedules`` schedules, its report in ``root/reference``."""
    args = ["--explore", str(schedules), "--shrink-time", "30", *common]
    return check_client(REFERENCE, root / "reference", *args)


def assert_survived(done: subprocess.CompletedProcess[str], report: Path, schedules: int) -> None:
    """The reference client explored ``schedules`` schedules and broke no rule in any."""
    table = (report / "table.txt").read_text(encoding="utf-8")
    assert done.returncode == 0, f"{table}\n{done.stdout[-3000:]}"
    assert table.startswith(f"explored {schedules} schedules"), table
    assert "all passed" in table.splitlines()[0]
    assert not (report / "minimal-schedule.yaml").exists()
