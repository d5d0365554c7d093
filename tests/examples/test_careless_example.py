"""A careless client is failed by ``nemo-mock check-client`` with the rule and the evidence,
and its media kept for the post-mortem."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

import pytest

from tests.examples.checks import check_client

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg, pytest.mark.slow]


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
