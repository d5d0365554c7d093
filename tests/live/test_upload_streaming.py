"""Uploads stream to disk: a 64 MB upload must not raise the server's peak memory by 64 MB."""

import os
import uuid

import httpx
import pytest

from tests.live.conftest import start_mock, stop_mock

pytestmark = [pytest.mark.live, pytest.mark.slow]

UPLOAD_MB = 64


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc status")


def multipart_stream(boundary: str, filename: str, megabytes: int):
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    chunk = os.urandom(1024 * 1024)
    for _ in range(megabytes):
        yield chunk
    yield f"\r\n--{boundary}--\r\n".encode()


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("limit_mb", "status", "code"),
    [("16", 413, 4002), ("128", 415, 4001)],
    ids=["refused-mid-stream", "streamed-whole-then-probed"],
)
def test_a_large_upload_is_streamed_not_held_in_memory(tmp_path, limit_mb, status, code):
    mock = start_mock(tmp_path, "--max-upload-mb", limit_mb)
    try:
        with httpx.Client(base_url=mock.url, timeout=60) as http:
            token = http.post(
                "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
            ).json()["data"]["token"]
            auth = {"Authorization": f"Bearer {token}"}
            sid = http.post("/api/tasks/me/with-session/nemo_agent", headers=auth, json={}).json()[
                "data"
            ]["session_id"]
            before = peak_rss_mb(mock.process.pid)
            boundary = "nemo-mock-boundary"
            response = http.post(
                f"/api/upload-video/nemo_agent/me/{sid}",
                headers={**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
                content=multipart_stream(boundary, "huge.mp4", UPLOAD_MB),
            )
            growth = peak_rss_mb(mock.process.pid) - before
        # the client got the answer (not a reset), and random bytes are never accepted
        assert response.status_code == status and response.json()["code"] == code
        print(f"peak RSS growth {growth:.1f} MB for a {UPLOAD_MB} MB upload")
        assert growth < UPLOAD_MB / 2, (
            f"peak RSS grew by {growth:.1f} MB for a {UPLOAD_MB} MB upload"
        )
        assert not list((tmp_path / "data" / "uploads").rglob("huge.mp4"))
    finally:
        stop_mock(mock)
