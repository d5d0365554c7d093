import re
import uuid

import httpx
import pytest

from tests.live.conftest import LiveMock, start_mock, stop_mock

pytestmark = pytest.mark.live


def test_serve_prints_how_to_point_a_client_at_it(live_mock: LiveMock):
    assert re.search(r"listening on http://127\.0\.0\.1:\d+", live_mock.banner)
    assert f"export NEMO_API_URL={live_mock.url}" in live_mock.banner
    health = httpx.get(f"{live_mock.url}/_mock/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_a_whole_client_flow_over_the_network(live_mock: LiveMock):
    with httpx.Client(base_url=live_mock.url) as http:
        token = http.post(
            "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
        ).json()["data"]
        auth = {"Authorization": f"Bearer {token['token']}"}
        session = http.post(
            "/api/tasks/me/with-session/nemo_agent", headers=auth, json={"task_name": "p"}
        ).json()["data"]
        state = http.get(f"/api/state/nemo_agent/me/{session['session_id']}/latest", headers=auth)
        assert state.json()["data"]["session_id"] == session["session_id"]


def test_clock_advance_expires_tokens_in_a_running_mock(live_mock: LiveMock):
    with httpx.Client(base_url=live_mock.url) as http:
        token = http.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c"}).json()
        auth = {"Authorization": f"Bearer {token['data']['token']}"}
        assert http.get("/api/credits/balance/simple", headers=auth).status_code == 200
        moved = http.post("/_mock/clock/advance", json={"seconds": 7 * 86_400})
        assert moved.status_code == 200 and moved.json()["offset_seconds"] == 7 * 86_400
        expired = http.get("/api/credits/balance/simple", headers=auth)
        assert expired.status_code == 401 and expired.json()["code"] == 1001
        again = http.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c"})
        assert again.status_code == 200


def test_flags_come_from_env_vars_too(tmp_path):
    mock = start_mock(
        tmp_path, env={"NEMO_MOCK_INITIAL_CREDITS": "7", "NEMO_MOCK_ERROR_STYLE": "envelope"}
    )
    try:
        token = httpx.post(f"{mock.url}/api/auth/anonymous-token", headers={"X-Client-Id": "c"})
        assert token.json()["data"]["credits"] == 7
        bogus = httpx.get(
            f"{mock.url}/api/credits/balance/simple", headers={"Authorization": "Bearer x"}
        )
        assert bogus.status_code == 200 and bogus.json()["code"] == 1001
        assert "error style envelope" in mock.banner
    finally:
        stop_mock(mock)


def test_same_seed_gives_the_same_ids_but_never_the_same_token(tmp_path):
    issued = []
    for run in range(2):
        mock = start_mock(tmp_path / str(run), "--seed", "42")
        try:
            data = httpx.post(
                f"{mock.url}/api/auth/anonymous-token", headers={"X-Client-Id": "c"}
            ).json()["data"]
            issued.append((data["token"], data["user_id"]))
        finally:
            stop_mock(mock)
    assert issued[0][1] == issued[1][1]  # ids replay by seed
    assert issued[0][0] != issued[1][0]  # secrets come from the CSPRNG (issue 13 item 1)


def test_an_unknown_flag_value_is_refused_clearly(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "nemo_mock", "serve", "--error-style", "loud"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0
    assert "loud" in result.stderr and "http" in result.stderr
