"""``check-client --surface mcp --explore`` for real: fault schedules on the MCP tools (each
on a mock of its own); the reference MCP agent survives them, the careless one is caught and
its failure shrunk to a schedule file that replays it."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nemo_mock.client_tests.explore.vocabulary import MCP_OPERATIONS, default_operations
from nemo_mock.client_tests.mcp_agent.careless import BROKEN_RULES

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[3]
TIMING = ["--time-scale", "0.02", "--agent-time-scale", "0.001", "--timeout", "120"]
#: Rules the careless agent breaks whatever the faults (the others need a conflict, a turn…).
ALWAYS_BROKEN = {"mcp-save-base-version", "mcp-export-after-status", "mcp-no-retry-refusal"}


def explore(agent: str, report: Path, schedules: int) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "nemo_mock", "check-client", "--surface", "mcp",
        "--explore", str(schedules), "--scenario", "mcp-baseline", "--shrink-time", "60",
        "--jobs", "2", "--seed", "0", *TIMING, "--report", str(report),
        "--", sys.executable, "-m", "nemo_mock.client_tests.mcp_agent", agent,
    ]  # fmt: skip
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def explored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, object]]:
    root = tmp_path_factory.mktemp("mcp-explore")
    runs = {"reference": 4, "careless": 2}
    with ThreadPoolExecutor(2) as pool:
        futures = {a: pool.submit(explore, a, root / a, n) for a, n in runs.items()}
        return {agent: (root / agent, future.result()) for agent, future in futures.items()}


def test_an_mcp_client_gets_faults_on_the_mcp_tools_by_default():
    assert default_operations("mcp") == MCP_OPERATIONS
    assert all(op.startswith("mcp.") for op in MCP_OPERATIONS)
    assert not set(default_operations()) & set(MCP_OPERATIONS)


def test_the_reference_mcp_agent_survives_the_schedules(explored):
    report, done = explored["reference"]
    table = (report / "table.txt").read_text(encoding="utf-8")
    assert done.returncode == 0, f"{table}\n{done.stdout[-3000:]}"  # type: ignore[attr-defined]
    assert table.startswith("explored 4 schedules") and "all passed" in table.splitlines()[0]
    assert not (report / "minimal-schedule.yaml").exists()


def test_the_careless_mcp_agent_is_caught_and_its_failure_shrunk(explored):
    report, done = explored["careless"]
    assert done.returncode == 1, done.stdout[-3000:]  # type: ignore[attr-defined]
    schedule = (report / "minimal-schedule.yaml").read_text(encoding="utf-8")
    assert "# Replay: nemo-mock check-client --scenario-file" in schedule
    assert "\nsurface: mcp\n" in schedule  # the base scenario's surface, kept
    failed = _failed_cases(report / "junit.xml")
    assert ALWAYS_BROKEN <= failed <= set(BROKEN_RULES) | {"outcome", "valid-outcome"}, failed


def _failed_cases(junit: Path) -> set[str]:
    """The failing test cases of the minimal schedule's suite in the JUnit report."""
    suites = {s.get("name"): s for s in ET.parse(junit).getroot().iter("testsuite")}
    cases = suites["minimal-schedule"].iter("testcase")
    return {str(c.get("name")) for c in cases if c.find("failure") is not None}
