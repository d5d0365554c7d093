"""A killed mock leaves no ffmpeg running and, at its next start, no partial files."""

from __future__ import annotations

import signal
import time
import uuid
from pathlib import Path

import httpx
import pytest

from nemo_mock.mock_server.media.samples import SampleSet
from tests.conftest import ATTRIBUTION
from tests.live.conftest import start_mock, stop_mock

pytestmark = [pytest.mark.live, pytest.mark.ffmpeg]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, rest = text.split("(", 1)[1].rsplit(")", 1)
        if int(rest.split()[1]) == pid and "ffmpeg" in name:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _start_long_render(url: str, samples: SampleSet) -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        headers = {"X-Client-Id": str(uuid.uuid4())}
        token = http.post("/api/auth/anonymous-token", headers=headers).json()["data"]["token"]
        auth = {"Authorization": f"Bearer {token}", **ATTRIBUTION}
        sid = http.post("/api/tasks/me/with-session/nemo_agent", headers=auth, json={}).json()[
            "data"
        ]["session_id"]
        photo = samples.path("photo_1.jpg")
        uploaded = http.post(
            f"/api/upload-video/nemo_agent/me/{sid}",
            headers=auth,
            files=[("files", (photo.name, photo.read_bytes()))],
        ).json()["data"]["files"][0]["file_id"]
        draft = {
            "t": [{"tt": 0, "sg": [{"s": 0, "d": 600_000, "src": uploaded, "z": True}]}],
            "d": 600_000,
            "m": {"width": 1280, "height": 720, "fps": 30},
        }
        body = {"id": "long", "sessionId": sid, "draft": draft}
        started = http.post("/api/render/proxy/lambda", headers=auth, json=body)
        assert started.status_code == 200, started.text


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_ffmpeg_dies_with_the_mock_and_partials_are_swept(tmp_path, samples, how):
    mock = start_mock(tmp_path)
    try:
        _start_long_render(mock.url, samples)
        deadline = time.monotonic() + 60
        while not (ffmpeg := _children(mock.process.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ffmpeg, "no ffmpeg child started"
        mock.process.send_signal(how)
        mock.process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(map(_running, ffmpeg)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_running, ffmpeg)), "ffmpeg outlived the mock"
    finally:
        if mock.process.poll() is None:
            stop_mock(mock)
    again = start_mock(tmp_path)
    try:
        left = list((tmp_path / "data").rglob(".*partial*")) + list(
            (tmp_path / "data").rglob(".*.caption*")
        )
        assert left == []
    finally:
        stop_mock(again)
