"""JSON bodies are capped (issue 13 item 8): refused with 413 from Content-Length before a
byte is read, or as soon as the bytes counted while streaming pass the limit."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.edge.limits import JsonCap
from tests.conftest import ATTRIBUTION, Api, assert_error
from tests.live.conftest import start_mock

CAP = 4096


def run(app: Any, headers: list[tuple[bytes, bytes]], chunks: list[bytes] | None = None):
    """Call ``app`` once; what it sent, how many body bytes it read, whether the inner app ran."""
    sent: list[dict] = []
    read = {"bytes": 0, "calls": 0}
    body = list(chunks or [])

    async def receive() -> dict:
        read["calls"] += 1
        chunk = body.pop(0) if body else b""
        read["bytes"] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(body) or chunks is None}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/x", "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent, read


async def inner(scope, receive, send) -> None:
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ran"})


def body_of(sent: list[dict]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_declared_length_over_the_cap_is_refused_before_a_byte_is_read():
    headers = [(b"content-type", b"application/json"), (b"content-length", b"52428800")]
    sent, read = run(JsonCap(inner, max_bytes=CAP), headers, [b"{" * 100])
    assert sent[0]["status"] == 413 and read["bytes"] == 0
    assert b"52428800 bytes" in body_of(sent) and b"--max-json-kb 4" in body_of(sent)


def test_a_chunked_body_is_refused_once_the_count_passes_the_cap():
    chunks = [b"x" * 1000] * 10_000  # 10 MB if it were read whole
    headers = [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")]
    sent, read = run(JsonCap(inner, max_bytes=CAP), headers, chunks)
    assert sent[0]["status"] == 413 and b"ran" not in body_of(sent)
    assert read["bytes"] <= CAP + 1000


def test_a_lying_content_length_does_not_help():
    headers = [(b"content-type", b"application/json"), (b"content-length", b"10")]
    sent, read = run(JsonCap(inner, max_bytes=CAP), headers, [b"x" * 1000] * 100)
    assert sent[0]["status"] == 413 and read["bytes"] <= CAP + 1000


def test_a_body_within_the_cap_reaches_the_app_whole():
    headers = [(b"content-type", b"application/json"), (b"content-length", b"3000")]
    sent, _ = run(JsonCap(inner, max_bytes=CAP), headers, [b"x" * 1000] * 3)
    assert sent[0]["status"] == 200 and body_of(sent) == b"ran"


def test_multipart_bodies_are_not_the_json_cap_s_business():
    headers = [(b"content-type", b"multipart/form-data; boundary=b"), (b"content-length", b"9999")]
    sent, _ = run(JsonCap(inner, max_bytes=CAP), headers, [b"x" * 9999])
    assert sent[0]["status"] == 200


def test_a_huge_render_body_is_a_documented_413(make_app):
    with TestClient(make_app(max_json_kb=64)) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        draft = {"t": [{"sg": [{"x": "y" * 100}] * 1000}], "d": 1000}
        body = {"id": "render_1", "sessionId": sid, "draft": draft}
        response = client.post(
            "/api/render/proxy/lambda", headers={**headers, **ATTRIBUTION}, json=body
        )
        assert_error(response, 413, 413, "request body too large")
        assert "--max-json-kb 64" in response.json()["message"]
        assert client.get("/api/credits/balance/simple", headers=headers).status_code == 200


def test_the_control_plane_is_capped_too(make_app):
    with TestClient(make_app(max_json_kb=1)) as client:
        response = client.post("/_mock/faults", json={"spec": "x" * 5000})
        assert_error(response, 413, 413, "at most 1024 bytes")


def _rss_mb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        line = next(x for x in status if x.startswith("VmRSS"))
    return int(line.split()[1]) // 1024


@pytest.mark.live
def test_a_50_mb_body_is_refused_without_the_process_growing(tmp_path: Path):
    server = start_mock(tmp_path)
    try:
        with httpx.Client(base_url=server.url, timeout=60, headers=ATTRIBUTION) as http:
            token = http.post(
                "/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())}
            ).json()["data"]["token"]
            auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            before = _rss_mb(server.process.pid)
            body = b'{"id":"r","draft":"' + b"x" * (50 * 1024 * 1024) + b'"}'
            declared = http.post("/api/render/proxy/lambda", content=body, headers=auth)
            chunked = http.post(
                "/api/render/proxy/lambda", content=iter([b"x" * 1024 * 1024] * 50), headers=auth
            )
            grown = _rss_mb(server.process.pid) - before
            after = http.get("/api/credits/balance/simple", headers=auth)
    finally:
        server.stop()
    assert_error(declared, 413, 413, "52428821 bytes sent")
    assert_error(chunked, 413, 413, "over 1048576 bytes sent")
    assert grown < 20, f"the process grew {grown} MB"
    assert after.status_code == 200
