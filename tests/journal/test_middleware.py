"""The journal middleware in-process: what an entry holds, what is not journaled, and that
journaling never breaks a request."""

from __future__ import annotations

import asyncio
import json
import tracemalloc

import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.edge.scope import FAULT, note
from nemo_mock.mock_server.journal import capture
from nemo_mock.mock_server.journal.middleware import Exchange
from tests.conftest import ATTRIBUTION, Api
from tests.journal.conftest import Harness, drain, journal_entries, json_response, run_sse_body


def test_an_exchange_is_recorded_with_operation_session_status_and_code(api: Api, clock):
    headers = api.auth(client_id="client-1")
    token = headers["Authorization"].removeprefix("Bearer ")
    sid = api.session(headers)["session_id"]
    clock.advance(5)
    api.state(headers, sid)
    entry = journal_entries(api.client, operation="getSessionState")[0]
    assert entry["method"] == "GET"
    assert entry["path"] == f"/api/state/nemo_agent/me/{sid}/latest"
    assert (entry["status"], entry["code"], entry["outcome"]) == (200, 0, "completed")
    assert entry["session_id"] == sid and entry["token"] == fingerprint(token)
    assert entry["at"] == clock.now().isoformat() and entry["at_ms"] % 1000 == 0
    assert entry["request"]["headers"]["authorization"] == f"Bearer <{fingerprint(token)}>"
    assert entry["request"]["headers"]["x-skill-source"] == "nemo-video"
    assert entry["response"]["content_type"] == "application/json"
    assert entry["response"]["body"]["data"]["session_id"] == sid
    assert entry["response"]["bytes"] == int(entry["response"]["headers"]["content-length"])
    assert entry["duration_ms"] > 0 and entry["events"] is None and entry["fault"] is None
    first = journal_entries(api.client, operation="createAnonymousToken")[0]
    assert first["client_id"] == "client-1" and first["token"] is None


def test_the_session_comes_from_the_body_in_either_spelling(api: Api):
    headers = api.auth()
    api.client.post("/run_sse", headers=headers, json=run_sse_body("1234567890123456789", "hi"))
    api.client.post("/api/render/proxy/lambda", headers=headers, json={"sessionId": "98765"})
    refused = journal_entries(api.client, operation="runSse")[0]
    assert (refused["session_id"], refused["status"], refused["code"]) == (
        "1234567890123456789",
        404,
        1002,
    )
    assert refused["request"]["body"]["new_message"] == {"parts": [{"text": "hi"}]}
    render = journal_entries(api.client, operation="startRender")[0]
    assert render["session_id"] == "98765"


def test_a_request_refused_before_its_body_is_read_still_names_its_session(api: Api):
    """The auth check answers 1001 before the route reads the body; the journal read it."""
    stale = {**ATTRIBUTION, "Authorization": "Bearer nmv_usr_expired0000"}
    api.client.post("/run_sse", headers=stale, json=run_sse_body("5529798706024415232", "hi"))
    api.client.post("/api/render/proxy/lambda", headers=stale, json={"sessionId": "42"})
    refused = journal_entries(api.client, operation="runSse")[0]
    assert (refused["session_id"], refused["code"]) == ("5529798706024415232", 1001)
    assert refused["request"]["body"]["session_id"] == "5529798706024415232"
    assert journal_entries(api.client, operation="startRender")[0]["session_id"] == "42"


def test_unknown_paths_are_journaled_without_operation_but_not_the_control_plane(api: Api):
    api.client.get("/api/nothing?x=1")
    api.client.get("/_mock/health")
    api.client.get("/cdn/file_0/x.mp4")
    api.client.get("/openapi.json")
    api.client.get("/docs")
    entries = journal_entries(api.client)
    assert [(e["path"], e["query"], e["operation"], e["status"]) for e in entries] == [
        ("/api/nothing", "x=1", None, 404)
    ]
    assert entries[0]["code"] == 404


def test_a_token_in_the_url_is_named_and_redacted(api: Api):
    headers = api.auth()
    token = headers["Authorization"].removeprefix("Bearer ")
    api.client.get(f"/api/credits/balance/simple?token={token}", headers=headers)
    entry = journal_entries(api.client, operation="getCreditBalance")[0]
    assert entry["secrets_in_url"] == [fingerprint(token)]
    assert entry["query"] == f"token=<{fingerprint(token)}>"


@pytest.mark.parametrize(
    ("authorization", "shown", "secret"),
    [
        ("Bearer opaque-but-long-secret", "Bearer <{fp}>", "opaque-but-long-secret"),
        ("bearer nmv_usr_lowercase_scheme", "bearer <{fp}>", "nmv_usr_lowercase_scheme"),
        ("Token opaque-but-long-secret", "Token <{fp}>", "Token opaque-but-long-secret"),
        ("opaque-but-long-secret", "<{fp}>", "opaque-but-long-secret"),
    ],
)
def test_any_authorization_is_fingerprinted_never_kept(api: Api, authorization, shown, secret):
    headers = {**ATTRIBUTION, "Authorization": authorization, "X-Echo": authorization}
    api.client.get("/api/credits/balance/simple", headers=headers)
    entry = journal_entries(api.client)[0]
    fp = fingerprint(secret)
    assert entry["token"] == fp
    assert entry["request"]["headers"]["authorization"] == shown.format(fp=fp)
    assert "opaque-but-long-secret" not in json.dumps(entry)
    assert "nmv_usr_lowercase_scheme" not in json.dumps(entry)


def test_secret_keys_in_a_json_body_are_fingerprinted_whatever_they_look_like(api: Api):
    headers = api.auth()
    body = {"task_id": "t", "session_id": "1", "token": "my-own-secret-value"}
    api.client.post("/api/auth/claim-token", headers=headers, json=body)
    entry = journal_entries(api.client, operation="createClaimToken")[0]
    assert entry["request"]["body"]["token"] == f"<{fingerprint('my-own-secret-value')}>"
    assert "my-own-secret-value" not in json.dumps(entry)


def test_nan_in_a_body_or_a_note_cannot_break_the_journal(api: Api):
    headers = {**api.auth(), "Content-Type": "application/json"}
    api.client.post("/run_sse", headers=headers, content=b'{"session_id": NaN}')
    harness = Harness(lambda scope, receive, send: noting_app(scope, receive, send, nan=True))
    harness.client.get("/api/anything")
    entry = journal_entries(api.client, operation="runSse")[0]
    assert entry["request"]["body_omitted"] == "not json"
    assert harness.only_entry().notes["nan"] == "NaN"


def test_an_upload_is_counted_not_kept(api: Api):
    headers = api.auth()
    sid = api.session(headers)["session_id"]
    payload = b"x" * 300_000
    response = api.client.post(
        f"/api/upload-video/nemo_agent/me/{sid}",
        headers=headers,
        files=[("files", ("notes.txt", payload))],
    )
    assert response.json()["code"] == 4001
    entry = journal_entries(api.client, operation="uploadFiles")[0]
    sent = int(response.request.headers["content-length"])
    assert entry["request"]["bytes"] == sent > len(payload)
    assert entry["request"]["body"] is None
    assert entry["request"]["body_omitted"] == "multipart"
    assert entry["session_id"] == sid and entry["code"] == 4001


def test_an_exception_in_the_app_is_journaled_and_still_answered_500(make_app):
    app = make_app()

    @app.get("/api/boom")
    async def boom() -> None:
        raise RuntimeError("kaboom")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
        assert response.status_code == 500 and response.json()["code"] == 500
        entry = journal_entries(client)[0]
    assert entry["path"] == "/api/boom" and entry["outcome"] == "dropped"
    assert entry["status"] is None and entry["response"] is None
    assert entry["notes"] == {"exception": "RuntimeError"}


# -- behind a bare ASGI app ------------------------------------------------------------------


async def noting_app(scope, receive, send, nan: bool = False) -> None:
    note(scope, turn=3, busy_with="generation", **({"nan": float("nan")} if nan else {}))
    await drain(receive)
    await json_response(send, b'{"code": 0, "data": {}}')


def test_routes_add_notes_to_their_entry():
    harness = Harness(noting_app)
    harness.client.get("/api/anything")
    assert harness.only_entry().notes == {"turn": 3, "busy_with": "generation"}


def test_the_fault_that_fired_is_recorded():
    async def faulting(scope, receive, send) -> None:
        scope[FAULT] = {"rule": "f1", "action": {"error": 1001, "token": "nmv_usr_secret_x"}}
        await json_response(send, b'{"code": 1001, "message": "injected", "data": null}', 401)

    harness = Harness(faulting)
    harness.client.get("/api/credits/balance/simple")
    entry = harness.only_entry()
    assert entry.fault is not None and entry.fault.rule == "f1"
    assert entry.fault.action == {"error": 1001, "token": f"<{fingerprint('nmv_usr_secret_x')}>"}
    assert (entry.status, entry.code, entry.operation) == (401, 1001, "getCreditBalance")


def test_a_response_that_never_ends_is_dropped():
    async def half(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"par", "more_body": True})

    harness = Harness(half)
    harness.client.get("/api/anything")
    entry = harness.only_entry()
    assert (entry.status, entry.outcome, entry.response.bytes) == (200, "dropped", 3)


def test_a_large_json_response_is_counted_but_not_kept():
    big = json.dumps({"code": 0, "data": "x" * 70_000}).encode()

    async def large(scope, receive, send) -> None:
        await json_response(send, big)

    harness = Harness(large)
    harness.client.get("/api/anything")
    entry = harness.only_entry()
    assert entry.response.bytes == len(big) and entry.response.body_omitted == "too large"
    assert entry.code is None


def test_a_bug_in_journaling_never_breaks_the_request(monkeypatch):
    def broken(*_, **__):
        raise ValueError("journal bug")

    monkeypatch.setattr(capture.BodyCapture, "feed", broken)
    harness = Harness(noting_app)
    response = harness.client.post("/api/anything", json={"a": 1})
    assert response.status_code == 200 and response.json() == {"code": 0, "data": {}}
    assert harness.only_entry().path == "/api/anything"


def test_an_entry_that_cannot_be_built_leaves_a_bare_one(monkeypatch):
    monkeypatch.setattr(Exchange, "entry", lambda *_: 1 / 0)
    harness = Harness(noting_app)
    assert harness.client.get("/api/anything").status_code == 200
    entry = harness.only_entry()
    assert entry.status == 200 and entry.notes == {
        "journal_error": "this exchange could not be recorded in full"
    }


def test_when_recording_cannot_even_start_the_request_passes_through(monkeypatch):
    monkeypatch.setattr(Exchange, "__init__", lambda *_: 1 / 0)
    harness = Harness(noting_app)
    assert harness.client.get("/api/anything").status_code == 200
    assert harness.journal.query() == []


def test_a_streamed_upload_is_passed_through_chunk_by_chunk_not_held():
    """40 MiB arrive in 1 MiB chunks; the journal must not raise peak memory by anything like it."""
    chunks, size = 40, 1 << 20

    async def counting(scope, receive, send) -> None:
        total = await drain(receive)
        await json_response(send, json.dumps({"code": 0, "data": {"read": total}}).encode())

    harness = Harness(counting)
    sent: list[dict] = []

    async def exchange(content_type: bytes) -> None:
        left = chunks

        async def receive() -> dict:
            nonlocal left
            left -= 1
            return {"type": "http.request", "body": b"\0" * size, "more_body": left > 0}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": "POST",
            "path": "/api/upload-video/nemo_agent/me/1",
            "query_string": b"",
            "headers": [(b"content-type", content_type)],
        }
        await harness.middleware(scope, receive, send)

    for content_type in (b"multipart/form-data; boundary=x", b"application/json"):
        tracemalloc.start()
        asyncio.run(exchange(content_type))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 8 * size, f"peak {peak / size:.1f} MiB for {chunks} MiB"
    multipart, as_json = harness.journal.query()
    assert multipart.request.bytes == as_json.request.bytes == chunks * size
    assert multipart.request.body_omitted == "multipart"
    assert as_json.request.body_omitted == "too large"
    assert multipart.response.body == {"code": 0, "data": {"read": chunks * size}}
