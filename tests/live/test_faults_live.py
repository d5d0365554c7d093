"""Faults that only a real socket shows: cut and broken streams, a malformed event,
heartbeats only, a dropped connection; and faults and scenarios armed at start-up."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from nemo_mock.client_tests.live_mock import LiveMock
from tests.live.conftest import start_mock

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg]

ATTRIBUTION = {"X-Skill-Source": "nemo-video", "X-Skill-Version": "1.9", "X-Skill-Platform": "x"}
GENERATE = "make me a 10-second sunset timelapse video"


class Session:
    def __init__(self, mock: LiveMock) -> None:
        self.http = httpx.Client(base_url=mock.url, timeout=30, headers=ATTRIBUTION)
        token = self.http.post(
            "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
        ).json()["data"]["token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.sid = self.http.post(
            "/api/tasks/me/with-session/nemo_agent", json={"task_name": "p"}
        ).json()["data"]["session_id"]

    def stream(
        self, fault: str | None, message: str = GENERATE
    ) -> tuple[list[str], Exception | None]:
        """The raw ``data:`` texts received, and the error that ended the read, if any."""
        body = {
            "app_name": "nemo_agent",
            "user_id": "me",
            "session_id": self.sid,
            "new_message": {"parts": [{"text": message}]},
        }
        received: list[str] = []
        headers = {"Accept": "text/event-stream", **({"X-Mock-Fault": fault} if fault else {})}
        try:
            with self.http.stream("POST", "/run_sse", json=body, headers=headers) as response:
                assert response.status_code == 200
                for line in response.iter_lines():
                    if line.startswith("data:"):
                        received.append(line[len("data:") :].strip())
        except httpx.HTTPError as exc:
            return received, exc
        return received, None

    def draft_when_ready(self, limit: float = 60) -> dict:
        import time

        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            state = self.http.get(f"/api/state/nemo_agent/me/{self.sid}/latest").json()
            draft = state["data"]["state"]["draft"]
            if draft.get("t"):
                return draft
            time.sleep(0.2)
        raise AssertionError("the work never reached the state")


@pytest.fixture(scope="module")
def mock(tmp_path_factory) -> LiveMock:
    started = start_mock(tmp_path_factory.mktemp("faults"), "--time-scale", "0.01")
    yield started
    started.stop()


def test_cut_closes_the_stream_cleanly_after_n_events_and_the_work_goes_on(mock):
    session = Session(mock)
    received, error = session.stream("cut=2")
    assert error is None
    assert len(received) == 2
    assert json.loads(received[0])["type"] == "tool_call"
    assert session.draft_when_ready()["t"]


def test_cut_with_abort_breaks_the_connection_after_n_events(mock):
    session = Session(mock)
    received, error = session.stream("cut=1 abort")
    assert isinstance(error, httpx.RemoteProtocolError)
    assert len(received) == 1 and json.loads(received[0])["type"] == "tool_call"
    assert session.draft_when_ready()["t"]


def test_the_journal_shows_the_events_a_cut_stream_really_sent_and_the_fault(mock):
    session = Session(mock)
    received, _ = session.stream("cut=2 abort")
    entries = session.http.get(
        "/_mock/journal", params={"operation": "runSse", "session": session.sid}
    ).json()["entries"]
    assert len(entries) == 1
    entry = entries[0]
    assert [event["data"] for event in entry["events"]] == received
    assert entry["fault"] == {"rule": "header", "action": {"cut_after": 2, "abort": True}}
    assert entry["outcome"] == "dropped"


def test_malformed_slips_one_unreadable_event_in_after_the_first(mock):
    session = Session(mock)
    received, error = session.stream("malformed")
    assert error is None
    assert json.loads(received[0])["type"] == "tool_call"
    with pytest.raises(json.JSONDecodeError):
        json.loads(received[1])
    readable = [json.loads(r) for r in received[2:] if r]
    assert "tool_result" in [e["type"] for e in readable]


def test_heartbeats_only_sends_nothing_but_keepalives_then_closes_with_the_work_done(mock):
    session = Session(mock)
    received, error = session.stream("heartbeats=200")  # 2 s at --time-scale 0.01
    assert error is None
    assert len(received) >= 5
    assert {r for r in received} <= {'{"type":"heartbeat"}', ""}
    assert session.draft_when_ready()["t"]


def test_the_stream_drops_scenario_breaks_the_first_stream_only(mock):
    session = Session(mock)
    loaded = session.http.post("/_mock/scenarios", json={"name": "stream-drops-during-generation"})
    assert loaded.status_code == 200
    try:
        received, error = session.stream(None)
        assert isinstance(error, httpx.RemoteProtocolError) and len(received) == 2
        assert session.draft_when_ready()["t"]
        again, error = session.stream(None, "hello")
        assert error is None and any(json.loads(r)["type"] == "text" for r in again if r)
    finally:
        session.http.delete("/_mock/faults")


def test_the_heartbeats_only_scenario_sends_only_keepalives_for_its_scaled_time(mock):
    session = Session(mock)
    session.http.post("/_mock/scenarios", json={"name": "heartbeats-only-timeout"})
    try:
        received, error = session.stream(None)
        assert error is None
        assert len(received) >= 30  # 660 s times 0.01 = 6.6 s, a beat every 0.1 s
        assert set(received) <= {'{"type":"heartbeat"}', ""}
        assert session.draft_when_ready()["t"]
    finally:
        session.http.delete("/_mock/faults")


def test_drop_closes_the_connection_without_an_answer(mock):
    session = Session(mock)
    with pytest.raises(httpx.RemoteProtocolError):
        session.http.get("/api/credits/balance/simple", headers={"X-Mock-Fault": "drop"})
    assert session.http.get("/api/credits/balance/simple").status_code == 200


def test_a_dropped_message_is_journaled_with_its_session_and_the_agent_never_ran(mock):
    """The drop comes before the app reads the body; the journal read it ahead, so the rules
    can tell which session's stream dropped."""
    session = Session(mock)
    received, error = session.stream("drop")
    assert isinstance(error, httpx.RemoteProtocolError) and received == []
    entries = session.http.get(
        "/_mock/journal", params={"operation": "runSse", "session": session.sid}
    ).json()["entries"]
    (entry,) = entries
    assert entry["session_id"] == session.sid
    assert (entry["status"], entry["outcome"]) == (200, "dropped")
    assert entry["fault"] == {"rule": "header", "action": {"drop": True}}
    state = session.http.get(f"/api/state/nemo_agent/me/{session.sid}/latest").json()
    assert state["data"]["state"]["draft"].get("t") in (None, [])


def test_faults_and_scenarios_given_at_start_up_are_armed_and_shown(tmp_path):
    started = start_mock(
        tmp_path,
        "--scenario",
        "out-of-credits",
        "--fault",
        "operation=createAnonymousToken error=429 retry_after=7",
    )
    try:
        assert "scenario:              out-of-credits" in started.banner
        assert "fault f1:" in started.banner
        http = httpx.Client(base_url=started.url, headers=ATTRIBUTION)
        first = http.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c"})
        assert (first.status_code, first.headers["Retry-After"]) == (429, "7")
        second = http.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c"})
        assert second.json()["data"]["credits"] == 0
        assert http.get("/_mock/scenarios").json()["loaded"] == ["out-of-credits"]
    finally:
        started.stop()


def test_a_bad_start_up_fault_stops_the_mock_with_the_valid_forms(tmp_path):
    import subprocess

    from nemo_mock.client_tests.live_mock import serve_command

    done = subprocess.run(
        serve_command("--fault", "op=runSse explode"), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "--fault 'op=runSse explode': unknown key 'explode'" in done.stderr
    assert "error=CODE" in done.stderr


def test_without_the_control_plane_there_is_no_mock_surface_and_no_fault_header(tmp_path):
    started = start_mock(tmp_path, "--no-control")
    try:
        http = httpx.Client(base_url=started.url, headers=ATTRIBUTION)
        assert http.get("/_mock/health").status_code == 200  # deployments need health
        for path in ("/_mock/journal", "/_mock/faults", "/_mock/clock", "/_mock/scenarios"):
            assert http.get(path).status_code == 404
        assert http.post("/_mock/reset").status_code == 404
        token = http.post(
            "/api/auth/anonymous-token", headers={"X-Client-Id": "c", "X-Mock-Fault": "error=1001"}
        )
        assert token.status_code == 200
        assert "control plane:         off" in started.banner
    finally:
        started.stop()
