"""Keep-alives never stall: against a live mock, the longest silence of every kind of turn
stays within twice the configured keep-alive interval, whatever the turn synthesises
(a script video's clips and voiceover take far longer than its documented wait), and
also for a turn queued behind another on the same session.

Gaps are judged as a ratio of the configured interval, never against a wall-clock figure.
The interval is 0.5 s (not the default 0.1 s) so that a machine loaded by other test
workers does not count as a stall; without the stream's own keep-alives these turns go
quiet for 6 to 100 times it.
"""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from nemo_mock.client_tests.live_mock import LiveMock
from nemo_mock.mock_server.media.samples import SampleSet
from tests.live.conftest import start_mock

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg, pytest.mark.slow]

TIME_SCALE = 0.01
HEARTBEAT_INTERVAL = 50.0  # seconds, times the time scale: a keep-alive every 0.5 s
INTERVAL = HEARTBEAT_INTERVAL * TIME_SCALE
SCRIPT = (
    Path(__file__).parents[2] / "fixtures" / "prompts" / "promo_script_300_words.txt"
).read_text(encoding="utf-8")
ATTRIBUTION = {"X-Skill-Source": "nemo-video", "X-Skill-Version": "1.9"}


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory):
    server = start_mock(
        tmp_path_factory.mktemp("keepalives"),
        "--time-scale",
        str(TIME_SCALE),
        "--heartbeat-interval",
        str(HEARTBEAT_INTERVAL),
        "--initial-credits",
        "100000",
        "--temp-issue-rate",
        "0",
    )
    yield server
    server.stop()


class Session:
    def __init__(self, mock: LiveMock) -> None:
        self.http = httpx.Client(base_url=mock.url, timeout=120, headers=ATTRIBUTION)
        token = self.http.post(
            "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
        ).json()["data"]["token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.sid = self.http.post(
            "/api/tasks/me/with-session/nemo_agent", json={"task_name": "p", "language": "en"}
        ).json()["data"]["session_id"]

    def upload(self, *paths: Path) -> None:
        files = [("files", (p.name, p.read_bytes())) for p in paths]
        response = self.http.post(f"/api/upload-video/nemo_agent/me/{self.sid}", files=files)
        assert response.status_code == 200, response.text

    def silences(self, message: str) -> tuple[float, list[str]]:
        """The longest time without a byte of the stream (from its headers to its end), and
        the types of the events it carried."""
        body = {
            "app_name": "nemo_agent",
            "user_id": "me",
            "session_id": self.sid,
            "new_message": {"parts": [{"text": message}]},
        }
        kinds: list[str] = []
        longest = 0.0
        with self.http.stream("POST", "/run_sse", json=body) as response:
            assert response.status_code == 200, response.read()
            last = time.monotonic()
            for line in response.iter_lines():
                now = time.monotonic()
                longest, last = max(longest, now - last), now
                if line.startswith("data:"):
                    payload = line[5:].strip()
                    kinds.append(json.loads(payload)["type"] if payload else "keepalive")
            longest = max(longest, time.monotonic() - last)
        return longest, kinds


def _assert_kept_alive(longest: float, kinds: list[str], what: str) -> None:
    ratio = longest / INTERVAL
    assert ratio <= 2.0, f"{what}: silent for {ratio:.1f}x the keep-alive interval; {kinds}"


@pytest.mark.parametrize(
    ("what", "message"),
    [
        ("text reply", "hello, what can you do?"),
        ("generation", "make me a 10-second sunset timelapse video"),
        ("script video with voiceover", SCRIPT),
    ],
)
def test_every_turn_kind_keeps_the_stream_alive(mock, what, message):
    longest, kinds = Session(mock).silences(message)
    assert kinds, what
    _assert_kept_alive(longest, kinds, what)


def test_a_montage_and_its_edits_keep_the_stream_alive(mock, samples: SampleSet):
    session = Session(mock)
    session.upload(*(samples.path(f"photo_{i}.jpg") for i in range(1, 4)))
    for message in (
        "turn my photos into a smooth video slideshow with transitions and music",
        "put a title 'Golden Hour' at the beginning",
        "make it square",  # portrait photos already made a portrait canvas
    ):
        longest, kinds = session.silences(message)
        _assert_kept_alive(longest, kinds, message)
    assert "tool_result" in kinds


def test_a_turn_queued_behind_a_generation_is_kept_alive_while_it_waits(mock):
    session = Session(mock)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(session.silences, SCRIPT)
        time.sleep(INTERVAL)  # the generation holds the session first
        queued = pool.submit(session.silences, "put a title 'Next' at the beginning")
        for what, result in (("generation", first), ("queued edit", queued)):
            longest, kinds = result.result(timeout=600)
            _assert_kept_alive(longest, kinds, what)
    assert "tool_result" in kinds
