"""Uploads refuse what they cannot use, at once and saying why (issue 13 items 5, 11, 16)."""

from __future__ import annotations

import pytest

from nemo_mock.mock_server.media.ffmpeg import run_ffmpeg
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


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:99999/a.jpg", "Port out of range"),
        ("http://127.0.0.1/a.jpg\r\nHost: evil", "contains a space or control character"),
    ],
)
def test_a_url_upload_with_a_bad_url_is_a_400_naming_it(api: Api, owner, url, message):
    """Both were unhandled 500s."""
    headers, sid = owner
    response = api.client.post(_url(sid), headers=headers, json={"urls": [url]})
    assert_error(response, 400, 400, message)


def test_a_filename_over_255_utf8_bytes_is_cut_by_bytes(api: Api, owner, samples):
    """200 x '日' is 600 bytes: cut by characters it stayed too long for the disk (500)."""
    headers, sid = owner
    name = "日" * 200 + ".jpg"
    files = [("files", (name, samples.path("photo_1.jpg").read_bytes()))]
    response = api.client.post(_url(sid), headers=headers, files=files)
    assert response.status_code == 200, response.text
    kept = response.json()["data"]["files"][0]["filename"]
    assert kept.endswith("日.jpg") and len(kept.encode()) <= 255
    assert api.client.get(response.json()["data"]["files"][0]["cdn_url"]).status_code == 200


def test_a_part_named_with_filename_star_is_a_file(api: Api, owner, samples):
    headers, sid = owner
    photo = samples.path("photo_1.jpg").read_bytes()
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="files"; '
        b"filename*=UTF-8''caf%C3%A9.jpg\r\nContent-Type: image/jpeg\r\n\r\n"
        + photo
        + b"\r\n--XyZ--\r\n"
    )
    response = api.client.post(
        _url(sid),
        headers={**headers, "Content-Type": "multipart/form-data; boundary=XyZ"},
        content=body,
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["files"][0]["filename"] == "café.jpg"


def test_more_parts_than_the_cap_are_refused_while_reading(make_app, samples, tmp_path):
    """500 parts were accepted; now the 21st part (--max-upload-parts, default 20) is a 400."""
    from fastapi.testclient import TestClient

    api = Api(TestClient(make_app()))
    headers = api.auth()
    sid = api.session(headers)["session_id"]
    photo = samples.path("photo_1.jpg").read_bytes()
    files = [("files", (f"p{i}.jpg", photo)) for i in range(21)]
    response = api.client.post(_url(sid), headers=headers, files=files)
    assert_error(response, 400, 400, "more than 20 parts (--max-upload-parts 20)")
    assert not list((tmp_path / "data" / "uploads").rglob("*.jpg"))
    files = [("files", (f"p{i}.jpg", photo)) for i in range(20)]
    assert api.client.post(_url(sid), headers=headers, files=files).status_code == 200


def test_the_parts_cap_is_a_setting(make_app, samples):
    from fastapi.testclient import TestClient

    api = Api(TestClient(make_app(max_upload_parts=2)))
    headers = api.auth()
    sid = api.session(headers)["session_id"]
    photo = samples.path("photo_1.jpg").read_bytes()
    files = [("files", (f"p{i}.jpg", photo)) for i in range(3)]
    response = api.client.post(_url(sid), headers=headers, files=files)
    assert_error(response, 400, 400, "more than 2 parts (--max-upload-parts 2)")
