"""``check-client`` judges an MCP agent: the MCP scenarios (``--scenario-dir
client_tests/mcp_agent/scenarios``) with the reference agent pass, conflict included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.ffmpeg, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[3]
SCENARIOS = REPO / "client_tests" / "mcp_agent" / "scenarios"


def test_check_client_passes_the_reference_mcp_agent(tmp_path):
    command = [
        sys.executable, "-m", "nemo_mock", "check-client",
        "--scenario-dir", str(SCENARIOS),
        "--scenario", "mcp-baseline", "--scenario", "mcp-version-conflict",
        "--report", str(tmp_path),
        "--", sys.executable, "-m", "nemo_mock.client_tests.mcp_agent", "reference",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    table = (tmp_path / "table.txt").read_text()
    conflict_row = next(line for line in table.splitlines() if line.startswith("mcp-conflict"))
    assert conflict_row.split()[1:] == ["·", "ok"]  # exercised by the conflict scenario only
    assert "2 of 2 scenarios passed" in done.stdout
