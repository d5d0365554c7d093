"""``check-client --surface gateway`` judges the vendor's own CLI, unmodified (through the
``nemo_mock.client_tests.vendor_cli`` wrapper and a key the harness mints), under the
library's gateway scenarios: it passes every one, the refusals (a revoked key, no credits)
included, and the gateway rules each scenario is there for are exercised and pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nemo_mock.mock_server.scenarios.library import ScenarioLibrary
from tests.helpers.prompts import quick_env
from tests.surfaces.gateway.vendor_cli import CACHE, vendor_cli

pytestmark = [pytest.mark.ffmpeg, pytest.mark.slow, pytest.mark.live]
REPO = Path(__file__).resolve().parents[3]


def test_the_vendor_cli_passes_every_gateway_scenario(tmp_path: Path):
    installed, why = vendor_cli()
    if installed is None:
        pytest.skip(why)
    command = [
        sys.executable, "-m", "nemo_mock", "check-client", "--surface", "gateway",
        "--time-scale", "1", "--jobs", "3", "--report", str(tmp_path),
        "--", sys.executable, "-m", "nemo_mock.client_tests.vendor_cli",
    ]  # fmt: skip
    env = quick_env(NEMO_VENDOR_CLI_DIR=str(CACHE))  # the CLI is judged, not the picture
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=REPO, env=env)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    names = ScenarioLibrary().names("gateway")
    assert len(names) >= 6 and f"{len(names)} of {len(names)} scenarios passed" in done.stdout
    assert "stopped on 403 (exit 1)" in done.stdout  # gateway-key-revoked
    assert "stopped on 2001 (exit 1)" in done.stdout  # gateway-out-of-credits
    rows = _table(tmp_path / "table.txt")
    order = {name: index for index, name in enumerate(sorted(names))}
    for name in names:
        for rule in ScenarioLibrary().get_by_name(name).expect.exercises:
            assert rows[rule][order[name]] == "ok", (name, rule)
    assert not [rule for rule, cells in rows.items() if "FAIL" in cells]


def _table(path: Path) -> dict[str, list[str]]:
    """The report's table: a row's cells (one per scenario) by rule, after the header."""
    lines = [line.split() for line in path.read_text().splitlines()[1:] if line.strip()]
    return {cells[0]: cells[1:] for cells in lines}
