"""``check-client --surface gateway --explore`` for real, on the vendor's own CLI (pinned
``nemovideo-tools@0.1.8``, unmodified): fault schedules on ``gateway.createProject`` find that
the CLI gives up on a 429 instead of waiting ``Retry-After`` and retrying (§3), shrink that to
the one fault, and write a schedule file that replays the failure; the schedules it survives
end with its MP4."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers.prompts import quick_env
from tests.surfaces.gateway.vendor_cli import CACHE, vendor_cli

pytestmark = [pytest.mark.ffmpeg, pytest.mark.live]  # mostly waiting on the CLI: the live tier
REPO = Path(__file__).resolve().parents[3]
CLIENT = [sys.executable, "-m", "nemo_mock.client_tests.vendor_cli"]
#: The seed whose four schedules put a 429 on the CLI's first createProject (found by trying
#: seeds 1-8: 6 and 7 do; the others draw only faults the CLI survives).
SEED = "6"


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "nemo_mock", "check-client", "--surface", "gateway",
               "--time-scale", "1", *args, "--", *CLIENT]  # fmt: skip
    env = quick_env(NEMO_VENDOR_CLI_DIR=str(CACHE))  # the CLI is judged, not the picture
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=REPO, env=env)


def test_explore_finds_the_vendor_clis_missing_429_retry_and_shrinks_it(tmp_path: Path) -> None:
    installed, why = vendor_cli()
    if installed is None:
        pytest.skip(why)
    report = tmp_path / "report"
    done = _check("--explore", "4", "--max-faults", "1", "--explore-operation",
                  "gateway.createProject", "--seed", SEED, "--report", str(report))  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "a failing schedule was found" in done.stdout, out
    assert "passing runs ended with: mp4" in done.stdout, out  # it survives the others
    minimal = yaml.safe_load((report / "minimal-schedule.yaml").read_text(encoding="utf-8"))
    assert minimal["surface"] == "gateway"
    assert minimal["faults"] == [
        {
            "operation": "gateway.createProject",
            "nth": 1,
            "times": 1,
            "action": {"error": 429, "retry_after": 2},
        }
    ], minimal["faults"]
    assert "wait Retry-After" in minimal["client_should"]
    assert (report / "junit.xml").is_file() and (report / "report.md").is_file()

    replay = _check("--scenario-file", str(report / "minimal-schedule.yaml"),
                    "--report", str(tmp_path / "replay"))  # fmt: skip
    assert replay.returncode == 1, replay.stdout + replay.stderr
    assert re.search(r"valid-outcome +FAIL", replay.stdout), replay.stdout
    assert "0 of 1 scenarios passed" in replay.stdout
