"""``check-client --url``: the scenarios run on a mock that is already running (one at a time,
the mock reset and loaded with each), not on mocks of the harness's own; the verdicts are the
same as on its own mocks, and the mock keeps running afterwards."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from nemo_mock.client_tests.live_mock import start_mock
from tests.helpers.prompts import QUICK_PROMPT

pytestmark = pytest.mark.live

REFERENCE = [sys.executable, "-m", "nemo_mock.client_tests.reference_client"]
CARELESS = [sys.executable, "-m", "nemo_mock.client_tests.careless_client"]


def _check(url: str, report: Path, scenarios: list[str], client: list[str]) -> str:
    picked = [arg for name in scenarios for arg in ("--scenario", name)]
    command = [sys.executable, "-m", "nemo_mock", "check-client", "--url", url, *picked,
               "--prompt", QUICK_PROMPT, "--report", str(report), "--", *client]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    return f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"


def _journal(url: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = httpx.get(f"{url}/_mock/journal", timeout=10).json()["entries"]
    return entries


def test_check_client_judges_a_client_on_a_running_mock(tmp_path: Path) -> None:
    with start_mock("--time-scale", "0.01", data_dir=tmp_path / "data") as mock:
        marker = f"before-{uuid.uuid4()}"
        httpx.post(f"{mock.url}/api/auth/anonymous-token", headers={"X-Client-Id": marker})
        assert any(e["client_id"] == marker for e in _journal(mock.url))

        good = _check(mock.url, tmp_path / "good", ["baseline", "render-fails-once"], REFERENCE)
        assert good.startswith("exit 0"), good
        assert "2 of 2 scenarios passed" in good
        # the scenarios ran here: the mock was reset (the call before is gone) and its
        # journal holds the last scenario's client calls
        entries = _journal(mock.url)
        assert not any(e["client_id"] == marker for e in entries)
        operations = {e["operation"] for e in entries}
        assert {"runSse", "getRender"} <= operations, operations

        bad = _check(mock.url, tmp_path / "bad", ["rate-limited-then-ok"], CARELESS)
        assert bad.startswith("exit 1"), bad
        assert re.search(r"attribution-headers +FAIL", bad), bad
        assert (tmp_path / "bad" / "junit.xml").is_file()
        # still the same mock, still answering
        assert mock.process.poll() is None
        assert httpx.get(f"{mock.url}/_mock/health", timeout=5).status_code == 200
