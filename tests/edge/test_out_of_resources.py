"""A host that runs out: file descriptors, memory or disk are not the request's fault, and
not a bug of the mock's either. The answer is 503 (507 for a full disk) with ``Retry-After``
and what ran out, never a 500 "this is a bug"; nothing of the request is kept (not even an
empty staging folder); a retry once the host has room succeeds. First in process (the error
raised where the upload opens its file), then against a real server under a low
``ulimit -n`` whose descriptors are all held by idle connections."""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from nemo_mock.client_tests.live_mock import launch, serve_command
from nemo_mock.mock_server.edge.errors import out_of_resources
from nemo_mock.mock_server.edge.loop_errors import ACCEPT_OUT_OF_RESOURCES, quiet_running_out
from nemo_mock.mock_server.media.samples import SampleSet
from tests.conftest import ATTRIBUTION, Api


def _uploads_failing_with(monkeypatch: pytest.MonkeyPatch, root: Path, error: OSError) -> None:
    """Opening a file for writing under ``root`` raises ``error`` (what the OS says)."""
    real_open = Path.open

    def open_(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode and self.is_relative_to(root):
            raise error
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)


def _upload(client: TestClient, headers: dict[str, str], sid: str, photo: Path) -> Any:
    files = [("files", (photo.name, photo.read_bytes(), "image/jpeg"))]
    return client.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=headers, files=files)


@pytest.mark.parametrize(
    ("number", "status", "says"),
    [
        (errno.EMFILE, 503, "out of file descriptors"),
        (errno.ENFILE, 503, "host is out of file descriptors"),
        (errno.ENOMEM, 503, "out of memory"),
        (errno.ENOSPC, 507, "disk under --data-dir is full"),
    ],
)
def test_an_upload_the_host_cannot_hold_is_refused_with_what_ran_out(
    make_app: Callable[..., Any],
    tmp_path: Path,
    samples: SampleSet,
    monkeypatch: pytest.MonkeyPatch,
    number: int,
    status: int,
    says: str,
):
    uploads = tmp_path / "data" / "uploads"
    with TestClient(make_app()) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        with monkeypatch.context() as patch:
            _uploads_failing_with(patch, uploads, OSError(number, os.strerror(number)))
            refused = _upload(client, headers, sid, samples.path("photo_1.jpg"))
        assert refused.status_code == status, refused.text
        body = refused.json()
        assert body["code"] == status and says in body["message"], body
        assert "this is a bug" not in body["message"]
        assert refused.headers["retry-after"] == "1"
        # nothing of it kept: no file, no folder, nothing in the session
        assert not uploads.exists() or not any(uploads.iterdir())
        assert api.state(headers, sid)["state"]["video_infos"] == []
        # and once the host has room, the same upload goes through
        again = _upload(client, headers, sid, samples.path("photo_1.jpg"))
        assert again.status_code == 200, again.text
        assert len(api.state(headers, sid)["state"]["video_infos"]) == 1


def test_another_os_error_is_still_a_bug_of_the_mocks(
    make_app: Callable[..., Any],
    tmp_path: Path,
    samples: SampleSet,
    monkeypatch: pytest.MonkeyPatch,
):
    """Only running out is the host's: an I/O error is reported as the mock's own (500)."""
    with TestClient(make_app(), raise_server_exceptions=False) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        error = OSError(errno.EIO, os.strerror(errno.EIO))
        _uploads_failing_with(monkeypatch, tmp_path / "data" / "uploads", error)
        answer = _upload(client, headers, sid, samples.path("photo_1.jpg"))
    assert answer.status_code == 500 and "this is a bug" in answer.json()["message"]


def test_running_out_is_found_inside_an_exception_group():
    group = ExceptionGroup("tasks", [ValueError("x"), OSError(errno.EMFILE, "Too many open files")])
    found = out_of_resources(group)
    assert found is not None and found.code == 503 and "file descriptors" in found.message
    assert out_of_resources(ExceptionGroup("tasks", [ValueError("x")])) is None
    assert out_of_resources(OSError(errno.ENOENT, "No such file")) is None


def test_accepts_out_of_descriptors_are_one_line_and_the_loops_other_reports_unchanged(
    caplog: pytest.LogCaptureFixture,
):
    loop = asyncio.new_event_loop()
    seen: list[str] = []

    def before(_: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        seen.append(context["message"])

    loop.set_exception_handler(before)
    restore = quiet_running_out(loop)
    emfile = OSError(errno.EMFILE, "Too many open files")
    with caplog.at_level(logging.WARNING, logger="nemo_mock"):
        for _ in range(3):  # a crowd: asyncio reports every connection it could not accept
            loop.call_exception_handler({"message": ACCEPT_OUT_OF_RESOURCES, "exception": emfile})
        loop.call_exception_handler({"message": "something else", "exception": ValueError()})
    restore()
    assert loop.get_exception_handler() is before
    loop.close()
    assert seen == ["something else"]  # the rest went where it went before
    lines = [r.getMessage() for r in caplog.records if "out of file descriptors" in r.getMessage()]
    assert len(lines) == 1 and "EMFILE" in lines[0], lines  # one line, not one per connection


def _descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


@pytest.mark.live
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts /proc/<pid>/fd")
def test_a_real_server_out_of_descriptors_answers_503_and_recovers(
    tmp_path: Path, samples: SampleSet
):
    limit = 96
    args = serve_command("--data-dir", str(tmp_path / "data"), "--ip-token-limit", "0")
    server = launch(["sh", "-c", f'ulimit -n {limit} && exec "$@"', "sh", *args])
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    pid = server.process.pid
    held: list[socket.socket] = []
    try:
        # one kept-alive connection for every call: accepted before the descriptors run out
        with httpx.Client(base_url=server.url, timeout=30, headers=ATTRIBUTION) as http:
            api = Api(http)  # type: ignore[arg-type]
            auth = api.auth()
            sid = api.session(auth)["session_id"]
            # idle connections (half a request line) until the server holds every descriptor
            deadline = time.monotonic() + 20
            while _descriptors(pid) < limit and time.monotonic() < deadline:
                for _ in range(limit - _descriptors(pid) + 4):
                    held.append(socket.create_connection((host, port)))
                    held[-1].sendall(b"GET / HTTP/1.1\r\n")
                time.sleep(0.2)
            assert _descriptors(pid) == limit, "the server never held all its descriptors"
            photo = samples.path("photo_1.jpg")
            files = [("files", (photo.name, photo.read_bytes(), "image/jpeg"))]
            url = f"/api/upload-video/nemo_agent/me/{sid}"
            refused = http.post(url, headers=auth, files=files)
            for s in held:
                s.close()
            held.clear()
            deadline = time.monotonic() + 20  # the server closes them and accepts again
            while _descriptors(pid) > limit // 2 and time.monotonic() < deadline:
                time.sleep(0.2)
        # once recovered, a new connection per call: the kept-alive one went through a 503 to
        # an unread body and a wait of up to 20 s, which the server may close it after
        fresh = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(base_url=server.url, timeout=30, headers=ATTRIBUTION, limits=fresh) as c:
            again = c.post(url, headers=auth, files=files)
            state = c.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=auth)
    finally:
        for s in held:
            s.close()
        server.stop()
    logged = server.output()
    assert refused.status_code == 503, (refused.text, logged[-3000:])
    assert "out of file descriptors" in refused.json()["message"]
    assert f"its limit is {limit}" in refused.json()["message"]
    assert refused.headers["retry-after"] == "1"
    # a warning line, not a bug's traceback (the mock's or uvicorn's), and the connections
    # the server could not accept meanwhile: a line too, not asyncio's traceback for each
    bug = "unexpected error" in logged or "Exception in ASGI application" in logged
    assert not bug, logged
    assert "socket.accept() out of system resource" not in logged, logged[-3000:]
    assert f"out of file descriptors (EMFILE: Too many open files; the limit is {limit})" in logged
    assert again.status_code == 200, again.text
    infos = state.json()["data"]["state"]["video_infos"]
    assert [i["filename"] for i in infos] == ["photo_1.jpg"]  # the refused one left nothing
