"""Uploads are never left orphaned: after ``kill -9`` mid-upload and a restart, no file sits
without a record and no record without its file; a user forgotten loses records before
files; render outputs no job names are swept."""

from __future__ import annotations

import contextlib
import random
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from nemo_mock.client_tests.live_mock import start_mock
from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.media.samples import SampleSet
from nemo_mock.mock_server.runtime import Mock
from nemo_mock.mock_server.settings import Settings
from tests.conftest import ATTRIBUTION, Api
from tests.helpers.renders import upload

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _client(folder: Path) -> TestClient:
    settings = Settings(data_dir=folder, persist=True, ip_token_limit=0)
    return TestClient(create_app(settings, clock=ManualClock(START), rng=random.Random(0)))


def _mock(client: TestClient) -> Mock:
    mock: Mock = client.app.state.mock  # type: ignore[attr-defined]
    return mock


def _upload_folders(data: Path) -> set[str]:
    root = data / "uploads"
    return {p.name for p in root.iterdir()} if root.is_dir() else set()


def test_a_restart_sweeps_files_no_record_names_and_keeps_the_rest(
    tmp_path: Path, samples: SampleSet
):
    first = TestClient(_client(tmp_path).app)  # never stopped: it "dies" with its state
    api = Api(first)
    alice = api.auth("a")
    sid = api.session(alice)["session_id"]
    [kept] = upload(api, alice, sid, samples.path("photo_1.jpg"))
    stray = tmp_path / "uploads" / "file_killed_mid_body" / "clip.mp4"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"\x00" * 1000)  # what a killed upload leaves: bytes, no record
    output = tmp_path / "renders" / "k" / "r_unrecorded.mp4"
    output.parent.mkdir(parents=True)
    output.write_bytes(b"\x00")  # a render that finished after the last write
    with _client(tmp_path) as client:
        swept = _mock(client).swept
        assert set(swept.removed) == {stray.parent, output}
        assert swept.missing == []
        assert _upload_folders(tmp_path) == {kept}
        assert not (tmp_path / "renders" / "k").exists()
        state = Api(client).state(alice, sid)
        url = state["state"]["video_infos"][0]["cdn_url"]
        assert (
            client.get("/" + url.split("/", 3)[3]).content
            == samples.path("photo_1.jpg").read_bytes()
        )


def test_a_record_whose_file_was_deleted_by_hand_is_named_not_dropped(
    tmp_path: Path, samples: SampleSet
):
    with _client(tmp_path) as client:
        api = Api(client)
        alice = api.auth("a")
        sid = api.session(alice)["session_id"]
        [gone] = upload(api, alice, sid, samples.path("photo_1.jpg"))
    for path in (tmp_path / "uploads" / gone).iterdir():
        path.unlink()
    with _client(tmp_path) as client:
        assert _mock(client).swept.missing == [f"upload {gone}"]
        infos = Api(client).state(alice, sid)["state"]["video_infos"]
        assert [f["file_id"] for f in infos] == [gone]


def test_forgetting_a_user_commits_before_it_deletes_files(tmp_path: Path, samples: SampleSet):
    """Files go only once the records that named them are gone on disk: a crash between
    the two then leaves files without records (swept), never records without files."""
    with _client(tmp_path) as client:
        api = Api(client)
        alice = api.auth("a")
        sid = api.session(alice)["session_id"]
        [file_id] = upload(api, alice, sid, samples.path("photo_1.jpg"))
        mock = _mock(client)
        assert mock.durable is not None
        seen: list[bool] = []
        real_unlink = Path.unlink

        def unlink(path: Path, missing_ok: bool = False) -> None:
            if file_id in str(path):
                rows = mock.durable.store.load()["tables"].get("media", {})  # type: ignore[union-attr]
                seen.append(file_id in rows)
            real_unlink(path, missing_ok=missing_ok)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Path, "unlink", unlink)
            raw = alice["Authorization"][7:]
            assert client.post("/_mock/reset", json={"token": raw}).is_success
        assert seen == [False], "a file was deleted while its record was still on disk"


def _slow_body(
    boundary: str, payload: bytes, started: threading.Event, killed: threading.Event
) -> Iterator[bytes]:
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    yield payload[: len(payload) // 2]
    started.set()
    killed.wait(60)  # the mock is killed before the rest is sent
    yield payload[len(payload) // 2 :] + f"\r\n--{boundary}--\r\n".encode()


def _send_slowly(
    url: str, headers: dict[str, str], sid: str, started: threading.Event, killed: threading.Event
) -> None:
    boundary = uuid.uuid4().hex
    body = _slow_body(boundary, b"\x00" * 4_000_000, started, killed)
    with contextlib.suppress(httpx.HTTPError):  # the mock dies under it
        httpx.post(
            f"{url}/api/upload-video/nemo_agent/me/{sid}",
            headers={**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
            content=body,
            timeout=90,
        )


@pytest.mark.live
def test_kill_9_mid_upload_leaves_no_file_without_a_record(tmp_path: Path, samples: SampleSet):
    data = tmp_path / "data"
    mock = start_mock("--ip-token-limit", "0", data_dir=data)
    try:
        with httpx.Client(base_url=mock.url, timeout=30) as http:
            made = http.post(
                "/api/auth/anonymous-token", headers={**ATTRIBUTION, "X-Client-Id": "c1"}
            )
            headers = {**ATTRIBUTION, "Authorization": f"Bearer {made.json()['data']['token']}"}
            sid = http.post(
                "/api/tasks/me/with-session/nemo_agent", headers=headers, json={}
            ).json()["data"]["session_id"]
            photo = samples.path("photo_1.jpg")
            sent = http.post(
                f"/api/upload-video/nemo_agent/me/{sid}",
                headers=headers,
                files=[("files", (photo.name, photo.read_bytes()))],
            )
            acked = sent.json()["data"]["files"][0]["file_id"]
        started, killed = threading.Event(), threading.Event()
        sender = threading.Thread(
            target=_send_slowly, args=(mock.url, headers, sid, started, killed)
        )
        sender.start()
        assert started.wait(30)
        deadline = time.monotonic() + 30
        while len(_upload_folders(data)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(_upload_folders(data)) == 2, "the second upload never reached the disk"
    finally:
        mock.process.kill()  # SIGKILL mid-body
        mock.process.wait(timeout=10)
        killed.set()
    sender.join(timeout=90)
    mock = start_mock("--ip-token-limit", "0", data_dir=data)
    try:
        assert _upload_folders(data) == {acked}, "a file without a record was left"
        with httpx.Client(base_url=mock.url, timeout=30) as http:
            state = http.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=headers).json()
            infos = state["data"]["state"]["video_infos"]
            assert [f["file_id"] for f in infos] == [acked]
            cdn = http.get("/" + infos[0]["cdn_url"].split("/", 3)[3])
            assert cdn.content == samples.path("photo_1.jpg").read_bytes()
    finally:
        mock.stop()


def test_generated_media_no_record_names_is_swept_and_the_cache_is_kept(tmp_path: Path):
    """A turn's clips and voiceovers (``generated/<session>/``) and MCP generations
    (``generated/mcp/``) made before the mock died, with no record naming them, go at the
    next start; what a session's ``generated_media`` names and the synthesis cache stay."""
    first = TestClient(_client(tmp_path).app)  # never stopped: it "dies" with its state
    api = Api(first)
    alice = api.auth("a")
    sid = api.session(alice)["session_id"]
    body = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"parts": [{"text": "a 2 second coffee ad. Duration: 2 seconds"}]},
    }
    with first.stream("POST", "/run_sse", headers=alice, json=body) as stream:
        assert stream.status_code == 200
        for _ in stream.iter_lines():
            pass
    generated = tmp_path / "generated"
    made = {p for p in (generated / sid).iterdir()}
    assert made, "the turn generated no media"
    strays = [
        generated / sid / "clip_killed_mid_turn.mp4",
        generated / "sess_forgotten" / "voice.m4a",
        generated / "mcp" / "gen_killed.mp4",
    ]
    for stray in strays:
        stray.parent.mkdir(parents=True, exist_ok=True)
        stray.write_bytes(b"\x00" * 100)
    cached = generated / ".cache" / "ab" / "cached.mp4"
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(b"\x00")
    with _client(tmp_path) as client:
        assert set(strays) <= set(_mock(client).swept.removed)
        assert not any(stray.exists() for stray in strays)
        assert not (generated / "sess_forgotten").exists()
        assert {p for p in (generated / sid).iterdir()} == made
        assert cached.exists()
        media = Api(client).state(alice, sid)["state"]["generated_media"]
        assert media, "the session lost its generated media"
