"""``check-client --surface mcp`` judges an MCP agent under the library's MCP scenarios (what
it runs by default for an MCP client): the reference agent passes every one, the refusal
scenario included (a 403 tool error inside an HTTP 200 answer), and no skill scenario runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
from tests.helpers.prompts import quick_env

pytestmark = [pytest.mark.ffmpeg, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[3]


def test_check_client_passes_the_reference_mcp_agent_under_the_mcp_scenarios(tmp_path):
    command = [
        sys.executable, "-m", "nemo_mock", "check-client", "--surface", "mcp",
        "--report", str(tmp_path),
        "--", sys.executable, "-m", "nemo_mock.client_tests.mcp_agent", "reference",
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=600, cwd=REPO, env=quick_env()
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    names = ScenarioLibrary().names("mcp")
    assert f"{len(names)} of {len(names)} scenarios passed" in done.stdout
    assert "stopped on 403 (exit 3)" in done.stdout  # mcp-plan-refused: the refusal judged
    rows = _table(tmp_path / "table.txt")
    assert rows["mcp-conflict-apply"].count("ok") == 1  # only the conflict scenario has one
    assert rows["mcp-no-retry-refusal"].count("ok") >= 2  # out of credits, free plan
    assert rows["mcp-export-after-status"].count("ok") == len(names) - 1  # all but the refusal
    assert not [rule for rule, cells in rows.items() if "FAIL" in cells]


def _table(path: Path) -> dict[str, list[str]]:
    """The report's table: a row's cells (one per scenario) by rule, after the header."""
    lines = [line.split() for line in path.read_text().splitlines()[1:] if line.strip()]
    return {cells[0]: cells[1:] for cells in lines}


def test_a_rerun_in_the_same_report_folder_starts_from_a_fresh_mock(tmp_path):
    """--keep-media keeps the first run's mock data; the second run must not inherit its
    account (the baseline spends 70 of the 100 credits: 30 left would refuse the edit)."""
    command = [
        sys.executable, "-m", "nemo_mock", "check-client", "--scenario", "mcp-baseline",
        "--keep-media", "--report", str(tmp_path),
        "--", sys.executable, "-m", "nemo_mock.client_tests.mcp_agent", "reference",
    ]  # fmt: skip
    for run in ("first", "second"):
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=600, cwd=REPO, env=quick_env()
        )
        assert done.returncode == 0, f"{run}: " + done.stdout[-3000:] + done.stderr[-2000:]
        assert (tmp_path / "runs" / "mcp-baseline" / "mock-data").is_dir()  # kept, as asked
