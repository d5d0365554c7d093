import hashlib
import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.media.samples import SampleSet, make_photo, with_exif_orientation
from tests.conftest import Api, assert_error

pytestmark = pytest.mark.ffmpeg


def _upload(api: Api, headers, session_id: str, *paths: Path, names: list[str] | None = None):
    names = names or [p.name for p in paths]
    files = [("files", (name, p.read_bytes())) for name, p in zip(names, paths, strict=True)]
    return api.client.post(
        f"/api/upload-video/nemo_agent/me/{session_id}", headers=headers, files=files
    )


@pytest.fixture
def owner(api: Api):
    headers = api.auth()
    return headers, api.session(headers)["session_id"]


def test_multipart_upload_of_photos_clip_and_song_is_probed(api: Api, owner, samples: SampleSet):
    headers, sid = owner
    paths = [samples.path(n) for n in ("photo_1.jpg", "photo_2.jpg", "venue_clip.mp4", "song.mp3")]
    response = _upload(api, headers, sid, *paths)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["session_state_applied"] is True
    files = {f["filename"]: f for f in data["files"]}
    assert list(files) == ["photo_1.jpg", "photo_2.jpg", "venue_clip.mp4", "song.mp3"]

    photo = files["photo_1.jpg"]
    expected = samples.expected["photo_1.jpg"]
    assert (photo["file_type"], photo["width"], photo["height"]) == (
        "image",
        expected.width,
        expected.height,
    )
    assert photo["duration"] is None and photo["fps"] is None

    clip = files["venue_clip.mp4"]
    assert clip["file_type"] == "video"
    assert (clip["width"], clip["height"], clip["fps"]) == (640, 360, 25)
    assert clip["duration"] == pytest.approx(3.0, abs=0.15)

    song = files["song.mp3"]
    assert song["file_type"] == "audio"
    assert song["width"] is None and song["height"] is None
    assert song["duration"] == pytest.approx(4.0, abs=0.15)

    for path in paths:
        entry = files[path.name]
        assert entry["hash"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["size"] == path.stat().st_size


def test_uploads_appear_in_video_infos_in_upload_order(api: Api, owner, samples: SampleSet):
    headers, sid = owner
    _upload(api, headers, sid, samples.path("photo_3.jpg"))
    _upload(api, headers, sid, samples.path("clip.mov"), samples.path("photo.png"))
    infos = api.state(headers, sid)["state"]["video_infos"]
    assert [i["filename"] for i in infos] == ["photo_3.jpg", "clip.mov", "photo.png"]
    assert all(i["uploaded_at"] for i in infos)


def test_video_infos_show_a_phone_photo_as_displayed_with_its_rotation(
    api: Api, owner, tmp_path: Path
):
    headers, sid = owner
    photo = make_photo(tmp_path / "IMG_0001.jpg", width=400, height=300, color="teal")
    with_exif_orientation(photo, 6)
    assert _upload(api, headers, sid, photo).status_code == 200
    (info,) = api.state(headers, sid)["state"]["video_infos"]
    assert (info["width"], info["height"], info["rotation"]) == (300, 400, 90)


@pytest.mark.parametrize(
    "name",
    [
        "photo.webp",
        "anim.gif",
        "clip.webm",
        "clip.mkv",
        "clip.avi",
        "song.wav",
        "song.m4a",
        "song.aac",
    ],
)
def test_every_accepted_format_is_accepted(api: Api, owner, samples: SampleSet, name):
    headers, sid = owner
    response = _upload(api, headers, sid, samples.path(name))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["files"][0]["file_type"] == samples.expected[name].kind


def test_cdn_url_serves_the_file_with_range(api: Api, owner, samples: SampleSet):
    headers, sid = owner
    path = samples.path("venue_clip.mp4")
    cdn_url = _upload(api, headers, sid, path).json()["data"]["files"][0]["cdn_url"]
    assert cdn_url.startswith("http://testserver/cdn/")
    whole = api.client.get(cdn_url)
    assert whole.status_code == 200
    assert whole.content == path.read_bytes()
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-type"] == "video/mp4"
    part = api.client.get(cdn_url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.content == path.read_bytes()[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{path.stat().st_size}"
    beyond = api.client.get(cdn_url, headers={"Range": f"bytes={10**9}-"})
    assert_error(beyond, 416, 416, "outside the file")
    assert beyond.headers["content-range"] == f"bytes */{path.stat().st_size}"
    malformed = api.client.get(cdn_url, headers={"Range": "pages=1-2"})
    assert_error(malformed, 400, 400, "malformed Range header")


def test_unknown_cdn_file_is_404(api: Api):
    assert_error(api.client.get("/cdn/f_nothing/x.mp4"), 404, 404, "no uploaded file")


def test_text_file_is_4001(api: Api, owner, samples: SampleSet):
    headers, sid = owner
    response = _upload(api, headers, sid, samples.path("notes.txt"))
    assert_error(response, 415, 4001, "unsupported file type '.txt'")
    assert "supported: video mp4" in response.json()["message"]


def test_random_bytes_named_mp4_is_4001(api: Api, owner, samples: SampleSet):
    headers, sid = owner
    response = _upload(api, headers, sid, samples.path("random.mp4"))
    assert_error(response, 415, 4001, "'random.mp4' is not a readable video file")


def test_text_named_png_is_4001(api: Api, owner, samples: SampleSet):
    headers, sid = owner
    assert_error(_upload(api, headers, sid, samples.path("text_as.png")), 415, 4001, "text_as.png")


def test_audio_named_mp4_is_4001(api: Api, owner, samples: SampleSet):
    headers, sid = owner
    response = _upload(api, headers, sid, samples.path("song.m4a"), names=["song.mp4"])
    assert_error(response, 415, 4001, "named like a video file but contains an audio")


def test_over_the_limit_is_4002_and_nothing_is_kept(make_app, tmp_path, samples: SampleSet):
    with TestClient(make_app(max_upload_mb=0.01)) as client:  # ~10 KB
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        big = samples.path("venue_clip.mp4")
        assert big.stat().st_size > 0.01 * 1024 * 1024
        response = _upload(api, headers, sid, big)
        assert_error(response, 413, 4002, "larger than the 0.01 MB limit")
        assert api.state(headers, sid)["state"]["video_infos"] == []
        assert not any((tmp_path / "data" / "uploads").rglob("*.mp4"))


def test_a_bad_file_among_good_ones_loses_nothing(api: Api, owner, samples: SampleSet, tmp_path):
    headers, sid = owner
    _upload(api, headers, sid, samples.path("photo_1.jpg"))
    before = api.state(headers, sid)
    response = _upload(api, headers, sid, samples.path("photo_2.jpg"), samples.path("random.mp4"))
    assert_error(response, 415, 4001, "random.mp4")
    assert api.state(headers, sid) == before
    stored = sorted(p.name for p in (tmp_path / "data" / "uploads").rglob("*") if p.is_file())
    assert stored == ["photo_1.jpg"]


def test_upload_to_a_foreign_session_is_1002(api: Api, owner, samples: SampleSet):
    _, sid = owner
    response = _upload(api, api.auth("other"), sid, samples.path("photo_1.jpg"))
    assert_error(response, 404, 1002, "not found")


def test_upload_without_files_parts_is_400(api: Api, owner, samples: SampleSet):
    headers, sid = owner
    url = f"/api/upload-video/nemo_agent/me/{sid}"
    wrong_name = api.client.post(url, headers=headers, files=[("file", ("a.jpg", b"x"))])
    assert_error(wrong_name, 400, 400, "file parts must be named 'files'")
    only_fields = api.client.post(url, headers=headers, data={"note": "hi"}, files=[])
    assert_error(only_fields, 400, 400, "")
    plain = api.client.post(url, headers={**headers, "Content-Type": "text/plain"}, content=b"hi")
    assert_error(plain, 400, 400, "multipart/form-data")


def test_malformed_multipart_is_400(api: Api, owner):
    headers, sid = owner
    response = api.client.post(
        f"/api/upload-video/nemo_agent/me/{sid}",
        headers={**headers, "Content-Type": "multipart/form-data; boundary=xyz"},
        content=b"--xyz\r\nContent-Disposition: form-data; name=files; filename=a.jpg\r\n\r\nabc",
    )
    assert response.status_code in (400, 415)
    assert response.json()["code"] in (400, 4001)


# -- URL uploads -------------------------------------------------------------------
@pytest.fixture
def file_server(samples: SampleSet) -> Iterator[str]:
    handler = partial(_QuietHandler, directory=str(samples.directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _url_upload(api: Api, headers, sid: str, *urls: str):
    return api.client.post(
        f"/api/upload-video/nemo_agent/me/{sid}",
        headers=headers,
        json={"urls": list(urls), "source_type": "url"},
    )


def test_url_upload_fetches_and_probes(api: Api, owner, file_server, samples: SampleSet):
    headers, sid = owner
    response = _url_upload(
        api, headers, sid, f"{file_server}/venue_clip.mp4", f"{file_server}/photo.png"
    )
    assert response.status_code == 200, response.text
    files = response.json()["data"]["files"]
    assert [f["filename"] for f in files] == ["venue_clip.mp4", "photo.png"]
    assert (
        files[0]["hash"] == hashlib.sha256(samples.path("venue_clip.mp4").read_bytes()).hexdigest()
    )
    assert files[1]["width"] == 640
    assert len(api.state(headers, sid)["state"]["video_infos"]) == 2


def test_unreachable_url_is_a_clear_400(api: Api, owner, file_server):
    headers, sid = owner
    missing = _url_upload(api, headers, sid, f"{file_server}/nothing-here.mp4")
    assert_error(missing, 400, 400, "answered HTTP 404")
    refused = _url_upload(api, headers, sid, "http://127.0.0.1:9/clip.mp4")
    assert_error(refused, 400, 400, "GET http://127.0.0.1:9/clip.mp4 failed")
    ftp = _url_upload(api, headers, sid, "ftp://example.org/a.mp4")
    assert_error(ftp, 400, 400, "only http and https")


def test_non_media_url_is_4001(api: Api, owner, file_server):
    headers, sid = owner
    assert_error(_url_upload(api, headers, sid, f"{file_server}/notes.txt"), 415, 4001, ".txt")
    assert_error(
        _url_upload(api, headers, sid, f"{file_server}/random.mp4"), 415, 4001, "random.mp4"
    )


def test_url_upload_over_the_limit_is_4002(make_app, file_server):
    with TestClient(make_app(max_upload_mb=0.01)) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        response = _url_upload(api, headers, sid, f"{file_server}/venue_clip.mp4")
        assert_error(response, 413, 4002, "limit")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"urls": []}, "urls: List should have at least 1 item"),
        ({"urls": "http://x/a.mp4"}, "urls: Input should be a valid array"),
        ({"nope": 1}, "urls: Field required"),
    ],
)
def test_bad_url_bodies_are_400(api: Api, owner, body, message):
    headers, sid = owner
    response = api.client.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=headers, json=body)
    assert_error(response, 400, 400, message)
