"""/run_sse over a real socket: stream parsing by §4.4, credits while working, disconnects."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest

from nemo_mock.client_tests.live_mock import LiveMock
from nemo_mock.mock_server.media.samples import SampleSet
from tests.live.conftest import start_mock

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg]

WEDDING = (
    "create a 60-second wedding invitation video with our names, date, and romantic "
    "background music — Anna & Ben, June 5, 2027"
)
ATTRIBUTION = {
    "X-Skill-Source": "nemo-video",
    "X-Skill-Version": "1.9",
    "X-Skill-Platform": "unknown",
}


class Client:
    """A minimal client written from §4: token, session, upload, stream, state."""

    def __init__(self, mock: LiveMock) -> None:
        self.http = httpx.Client(base_url=mock.url, timeout=60, headers=ATTRIBUTION)
        token = self.http.post(
            "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
        ).json()["data"]["token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.sid = self.http.post(
            "/api/tasks/me/with-session/nemo_agent", json={"task_name": "project", "language": "en"}
        ).json()["data"]["session_id"]

    def upload(self, *paths) -> list[str]:
        files = [("files", (p.name, p.read_bytes())) for p in paths]
        response = self.http.post(f"/api/upload-video/nemo_agent/me/{self.sid}", files=files)
        return [f["file_id"] for f in response.json()["data"]["files"]]

    def body(self, message: str) -> dict:
        return {
            "app_name": "nemo_agent",
            "user_id": "me",
            "session_id": self.sid,
            "new_message": {"parts": [{"text": message}]},
        }

    def stream(self, message: str):
        """Yields each event: a dict, or None for an empty keep-alive ``data:`` line."""
        with self.http.stream(
            "POST", "/run_sse", json=self.body(message), headers={"Accept": "text/event-stream"}
        ) as response:
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith("text/event-stream")
            for line in response.iter_lines():
                if line.startswith("data:"):
                    payload = line[5:].strip()
                    yield json.loads(payload) if payload else None

    def state(self) -> dict:
        return self.http.get(f"/api/state/nemo_agent/me/{self.sid}/latest").json()["data"]["state"]

    def credits(self) -> dict:
        return self.http.get("/api/credits/balance/simple").json()["data"]


@pytest.fixture
def mock(tmp_path):
    server = start_mock(tmp_path, "--time-scale", "0.02", "--initial-credits", "500")
    yield server
    server.stop()


@pytest.mark.slow
def test_wedding_invitation_from_uploads(mock, samples: SampleSet):
    client = Client(mock)
    photos = [samples.path(f"photo_{i}.jpg") for i in range(1, 6)]
    uploaded = client.upload(*photos, samples.path("venue_clip.mp4"))
    events, frozen_seen = [], []
    for event in client.stream(WEDDING):
        events.append(event)
        if event and event["type"] == "tool_call":
            frozen_seen.append(client.credits()["frozen"])
    typed = [e for e in events if e]
    assert typed[0]["type"] == "tool_call"
    assert typed[0]["name"] == "generate_video_with_seedance"
    assert any(e["type"] == "heartbeat" for e in typed) and None in events
    assert frozen_seen and frozen_seen[0] == 100
    assert client.credits() == {"available": 400, "frozen": 0, "total": 400}

    draft = client.state()["draft"]
    video = [t for t in draft["t"] if t["tt"] == 0]
    assert [s["src"] for s in video[0]["sg"]] == uploaded
    assert any(t["tt"] == 1 for t in draft["t"])
    texts = " ".join(s["tx"] for t in draft["t"] if t["tt"] == 7 for s in t["sg"])
    assert "Anna & Ben" in texts and "2027" in texts
    assert abs(draft["d"] - 60_000) <= 40


def test_work_carries_on_after_the_client_disconnects(mock, samples: SampleSet):
    client = Client(mock)
    client.upload(samples.path("photo_1.jpg"), samples.path("photo_2.jpg"))
    stream = client.stream("turn my photos into a 10-second video")
    first = next(stream)
    assert first["type"] == "tool_call"
    stream.close()  # drop the connection after the first event
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        draft = client.state()["draft"]
        if any(t["sg"] for t in draft["t"]) and client.credits()["frozen"] == 0:
            break
        time.sleep(0.2)
    assert any(t["tt"] == 0 and len(t["sg"]) == 2 for t in draft["t"])
    assert client.credits()["available"] == 400


def test_refusals_before_streaming_are_plain_json(mock):
    client = Client(mock)
    body = client.body("make me a 10-second sunset timelapse video")
    missing = client.http.post("/run_sse", json={**body, "session_id": "1234567890123456789"})
    assert missing.status_code == 404 and missing.json()["code"] == 1002
    malformed = client.http.post("/run_sse", json={**body, "new_message": {"parts": []}})
    assert malformed.status_code == 400 and "new_message.parts" in malformed.json()["message"]
    snake = {k: v for k, v in body.items() if k != "app_name"}
    assert client.http.post("/run_sse", json=snake).status_code == 400
    bogus = client.http.post("/run_sse", json=body, headers={"Authorization": "Bearer nope"})
    assert bogus.status_code == 401 and bogus.json()["code"] == 1001


def test_not_enough_credits_is_a_402_with_the_bind_link(tmp_path):
    server = start_mock(tmp_path, "--time-scale", "0", "--initial-credits", "30")
    try:
        client = Client(server)
        response = client.http.post(
            "/run_sse", json=client.body("make me a 10-second video of the sea")
        )
        assert response.status_code == 402
        body = response.json()
        assert body["code"] == 2001 and "register?bind=anon_" in body["message"]
        assert body["data"]["bind_url"].startswith("https://nemovideo.com/register?bind=anon_")
    finally:
        server.stop()


def test_a_stream_ends_at_the_hard_limit_while_the_work_goes_on(tmp_path, samples: SampleSet):
    server = start_mock(
        tmp_path, "--time-scale", "0.02", "--stream-limit-seconds", "1", "--initial-credits", "500"
    )
    try:
        client = Client(server)
        client.upload(samples.path("photo_1.jpg"), samples.path("photo_2.jpg"))
        started = time.monotonic()
        events = list(client.stream("turn my photos into a 10-second video"))
        streamed = time.monotonic() - started
        # generation takes 2-6 s at this scale: the stream was cut at about 1 s
        assert streamed < 4, streamed
        assert not any(e and e["type"] == "tool_result" for e in events)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not client.state()["draft"]["t"]:
            time.sleep(0.2)
        assert client.state()["draft"]["t"], "the work did not go on after the cut"
    finally:
        server.stop()
