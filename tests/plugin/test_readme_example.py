"""The README's pytest example, run as written with the project's reference client as
``my_client``: it must pass, and the form it replaced must fail with a message that says why."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.live
README = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "pytest.md"
PROMPT = "make me a 10-second sunset timelapse video"


def readme_fault() -> str:
    """The fault spec the README's "expired token" example arms."""
    found = re.search(r'nemo_mock\.set_fault\("([^"]+)"\)\s+# or rule fields', README.read_text())
    assert found, "the README's pytest example is gone"
    return found.group(1)


def run_reference_client(url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NEMO_API_URL": url,
        "NEMO_CHECK_PROMPT": PROMPT,
        "NEMO_CHECK_OUTPUT": str(tmp_path / "out.mp4"),
        "NEMO_CHECK_TIME_SCALE": "0",
    }
    command = [sys.executable, "-m", "nemo_mock.client_tests.reference_client"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_the_readme_expired_token_example_passes_a_correct_client(nemo_mock, tmp_path):
    nemo_mock.set_fault(readme_fault())
    run_reference_client(nemo_mock.url, tmp_path)
    nemo_mock.assert_rules("token-refresh")
    tokens = nemo_mock.journal(operation="createAnonymousToken")
    assert [e.status for e in tokens] == [200, 200]


def test_an_injected_1001_explains_the_refused_refresh(nemo_mock, tmp_path):
    nemo_mock.set_fault("operation=getSessionState error=1001")
    run_reference_client(nemo_mock.url, tmp_path)
    verdict = nemo_mock.judge()["token-refresh"]
    assert verdict.status == "fail"
    message = verdict.violations[0].message
    assert "was asked for, but the ask was refused (429)" in message
    assert "expire_token=true" in message
