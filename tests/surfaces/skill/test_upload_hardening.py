"""Uploads refuse what they cannot use, at once and saying why (issue 13 items 5, 11, 16)."""

from __future__ import annotations

import pytest

from mock_server.media.ffmpeg import run_ffmpeg
from tests.conftest import Api, assert_error

pytestmark = pytest.mark.ffmpeg


@pytest.fixture
def owner(api: Api):
    headers = api.auth()
    return headers, api.session(headers)["session_id"]


def _url(sid: str) -> str:
    return f"/api/upload-video/nemo_agent/me/{sid}"


@pytest.fixture(scope="module")
def faststart(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("uploads") / "faststart.mp4"
    run_ffmpeg(
        [
            *("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2"),
            *("-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path)),
        ]
    )
    return path.read_bytes()


def test_a_truncated_mp4_is_refused_at_upload_naming_it(api: Api, owner, faststart: bytes):
    """It used to be accepted, and its render failed later with a raw ffmpeg dump."""
    headers, sid = owner
    cut = faststart[: len(faststart) // 2]
    response = api.client.post(_url(sid), headers=headers, files=[("files", ("cut.mp4", cut))])
    assert_error(response, 415, 4001, "'cut.mp4' is not a readable video file (the file is")
    assert "truncated" in response.json()["message"] or "damaged" in response.json()["message"]
    assert api.state(headers, sid)["state"]["video_infos"] == []
