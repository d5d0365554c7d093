"""The console access log of ``nemo-mock serve`` (on by default), and a mock that keeps
answering however much it prints (the live helper drains its output)."""

import httpx
import pytest

from nemo_mock.client_tests.live_mock import start_mock

pytestmark = pytest.mark.live
ATTRIBUTION = {"X-Skill-Source": "t", "X-Skill-Version": "1", "X-Skill-Platform": "p"}


def wait_for(mock, text: str, tries: int = 200) -> str:
    import time

    for _ in range(tries):
        if text in mock.output():
            return mock.output()
        time.sleep(0.02)
    return mock.output()


def test_each_request_gets_one_line_with_operation_status_user_and_fault(tmp_path):
    mock = start_mock("--fault", "operation=getCreditBalance error=429", data_dir=tmp_path)
    try:
        answer = httpx.post(
            f"{mock.url}/api/auth/anonymous-token", headers={**ATTRIBUTION, "X-Client-Id": "c1"}
        )
        raw = answer.json()["data"]["token"]
        auth = {**ATTRIBUTION, "Authorization": f"Bearer {raw}"}
        httpx.get(f"{mock.url}/api/credits/balance/simple", headers=auth)
        output = wait_for(mock, "getCreditBalance")
    finally:
        mock.stop()
    lines = [line for line in output.splitlines() if " → " in line]
    assert "POST /api/auth/anonymous-token createAnonymousToken → 200 user -" in lines[0]
    assert "GET /api/credits/balance/simple getCreditBalance → 429" in lines[1]
    assert " user fp_" in lines[1] and "fault f1 error=429" in lines[1]
    assert raw not in output


def test_no_access_log_turns_it_off(tmp_path):
    mock = start_mock("--no-access-log", data_dir=tmp_path)
    try:
        httpx.post(f"{mock.url}/api/auth/anonymous-token", headers={"X-Client-Id": "c1"})
        httpx.get(f"{mock.url}/_mock/health")
    finally:
        mock.stop()
    assert " → " not in mock.output()


def test_a_chatty_mock_never_blocks_on_its_own_output(tmp_path):
    """Thousands of logged requests (far beyond a 64 KiB pipe) and it still answers."""
    mock = start_mock(data_dir=tmp_path)
    try:
        with httpx.Client(base_url=mock.url) as client:
            for _ in range(1500):
                client.get("/api/credits/balance/simple", headers={"Authorization": "Bearer x"})
            assert client.get("/_mock/health", timeout=10).status_code == 200
    finally:
        mock.stop()
    assert mock.output().count("getCreditBalance → 401") >= 1000
