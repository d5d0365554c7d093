"""The journal of a real server: SSE events as sent, disconnects, streamed uploads.

In-process test clients buffer whole responses, so what a stream looked like on
the wire is only observable over a socket.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from nemo_mock.client_tests.live_mock import LiveMock
from tests.conftest import ATTRIBUTION
from tests.journal.conftest import journal_entries, run_sse_body
from tests.live.conftest import start_mock

pytestmark = pytest.mark.live

GENERATION = "make me a 10-second video of the sea"


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveMock]:
    server = start_mock(
        tmp_path_factory.mktemp("journal-live"), "--time-scale", "0.01", "--initial-credits", "900"
    )
    yield server
    server.stop()


@pytest.fixture
def http(mock: LiveMock) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock.url, timeout=60, headers=ATTRIBUTION) as client:
        client.delete("/_mock/journal")
        token = client.post(
            "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
        ).json()["data"]["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def new_session(http: httpx.Client) -> str:
    return http.post("/api/tasks/me/with-session/nemo_agent", json={"task_name": "p"}).json()[
        "data"
    ]["session_id"]


def data_lines(lines: Iterator[str]) -> Iterator[str]:
    """What a client reads: the text after ``data:`` (one leading space dropped)."""
    for line in lines:
        if line.startswith("data:"):
            yield line[6:] if line.startswith("data: ") else line[5:]


def wait_for_entry(http: httpx.Client, **filters: str) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = journal_entries(http, **filters)
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no journal entry for {filters}")


@pytest.mark.ffmpeg
def test_a_stream_is_recorded_event_for_event_as_the_client_got_it(http: httpx.Client):
    sid = new_session(http)
    with http.stream("POST", "/run_sse", json=run_sse_body(sid, GENERATION)) as response:
        assert response.status_code == 200
        received = list(data_lines(response.iter_lines()))
    entry = wait_for_entry(http, operation="runSse", session=sid)
    assert [e["data"] for e in entry["events"]] == received
    assert "" in received and any('"tool_result"' in d for d in received)  # keep-alives too
    assert entry["outcome"] == "completed" and entry["status"] == 200
    assert entry["response"]["body_omitted"] == "sse" and entry["code"] is None
    times = [e["at_ms"] for e in entry["events"]]
    assert times == sorted(times) and times[-1] <= entry["duration_ms"]


@pytest.mark.ffmpeg
def test_a_client_that_leaves_mid_stream_is_recorded_with_the_events_sent_so_far(
    tmp_path: Path,
):
    server = start_mock(tmp_path, "--time-scale", "0.05", "--initial-credits", "500")
    try:
        with httpx.Client(base_url=server.url, timeout=60, headers=ATTRIBUTION) as http:
            token = http.post(
                "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
            ).json()["data"]["token"]
            http.headers["Authorization"] = f"Bearer {token}"
            sid = new_session(http)
            with http.stream("POST", "/run_sse", json=run_sse_body(sid, GENERATION)) as stream:
                first = next(data_lines(stream.iter_lines()))
            entry = wait_for_entry(http, operation="runSse")
    finally:
        server.stop()
    assert entry["outcome"] == "client_disconnected"
    assert '"tool_call"' in first and entry["events"][0]["data"] == first
    assert not any('"tool_result"' in e["data"] for e in entry["events"])  # gone before the end
    assert entry["duration_ms"] < 5000


def test_a_text_reply_stream_and_its_notes(http: httpx.Client):
    sid = new_session(http)
    with http.stream("POST", "/run_sse", json=run_sse_body(sid, "hello")) as response:
        received = list(data_lines(response.iter_lines()))
    entry = wait_for_entry(http, operation="runSse")
    assert received and [e["data"] for e in entry["events"]] == received
    assert entry["session_id"] == sid and entry["outcome"] == "completed"


def test_a_streamed_upload_is_counted_to_the_last_byte(http: httpx.Client):
    # named .mp4, so it is read whole (then refused by its content); a .txt is refused at
    # its part's headers and the rest is no longer read
    sid = new_session(http)
    boundary = "journal-boundary"
    parts = [
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            'filename="notes.mp4"\r\nContent-Type: video/mp4\r\n\r\n'
        ).encode(),
        *([b"n" * (1 << 20)] * 8),
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    response = http.post(
        f"/api/upload-video/nemo_agent/me/{sid}",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        content=iter(parts),
    )
    assert response.json()["code"] == 4001
    entry = wait_for_entry(http, operation="uploadFiles")
    assert entry["request"]["bytes"] == sum(map(len, parts))
    assert entry["request"]["body_omitted"] == "multipart" and entry["code"] == 4001
