"""Each scenario, loaded through the control plane, provokes exactly what it names and lets a
correct client recover; in-process here (the stream scenarios are in test_streams_live.py)."""

import time

import pytest

from tests.conftest import ATTRIBUTION, Api, assert_error
from tests.helpers.chat import chat, events
from tests.helpers.renders import slideshow

pytestmark = pytest.mark.ffmpeg
TOKEN_CALL = "/api/auth/anonymous-token"
GENERATE = "make me a 10-second sunset timelapse video"


def load(api: Api, name: str) -> dict:
    response = api.client.post("/_mock/scenarios", json={"name": name})
    assert response.status_code == 200, response.text
    return response.json()


def token(api: Api, client_id: str = "client-1"):
    return api.client.post(TOKEN_CALL, headers={**ATTRIBUTION, "X-Client-Id": client_id})


def bearer(raw: str) -> dict:
    return {**ATTRIBUTION, "Authorization": f"Bearer {raw}"}


def upload(api: Api, headers, sid, *paths):
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    return api.client.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=headers, files=files)


def render(api: Api, headers, sid, render_id, draft):
    body = {"id": render_id, "sessionId": sid, "draft": draft}
    return api.client.post("/api/render/proxy/lambda", headers=headers, json=body)


def final(api: Api, headers, render_id, limit=60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        body = api.client.get(f"/api/render/proxy/lambda/{render_id}", headers=headers).json()
        if body["status"] in ("completed", "failed", "cancelled"):
            return body
        time.sleep(0.1)
    return body


def test_loading_reports_the_armed_rules_and_the_advice(api: Api):
    loaded = load(api, "render-fails-once")
    assert loaded["client_should"].startswith("Retry once with a new render id")
    assert [f["action"] for f in loaded["faults"]] == [{"render_fail": "the encoder crashed"}]
    assert api.client.get("/_mock/scenarios").json()["loaded"] == ["render-fails-once"]


def test_rate_limited_then_ok(api: Api):
    load(api, "rate-limited-then-ok")
    first = token(api)
    assert_error(first, 429, 429, "rate limited")
    assert first.headers["Retry-After"] == "30"
    assert token(api).status_code == 200


def test_missing_client_id(api: Api):
    load(api, "missing-client-id")
    assert_error(token(api), 400, 400, "missing X-Client-Id header")
    assert token(api, "a-new-uuid").status_code == 200


def test_token_expires_mid_session(api: Api, samples):
    load(api, "token-expires-mid-session")
    old = token(api).json()["data"]
    sid = api.session(bearer(old["token"]))["session_id"]
    photo = samples.path("photo_1.jpg")
    assert_error(upload(api, bearer(old["token"]), sid, photo), 401, 1001, "expired at")
    new = token(api).json()["data"]  # same client id: allowed, the old token expired
    assert new["user_id"] == old["user_id"]
    assert upload(api, bearer(new["token"]), sid, photo).status_code == 200


def test_out_of_credits(api: Api):
    load(api, "out-of-credits")
    headers = bearer(token(api).json()["data"]["token"])
    sid = api.session(headers)["session_id"]
    body = assert_error(chat(api, headers, sid, GENERATE), 402, 2001, "not enough credits")
    assert "/register?bind=anon_" in body["data"]["bind_url"]
    balance = api.client.get("/api/credits/balance/simple", headers=headers).json()["data"]
    assert balance == {"available": 0, "frozen": 0, "total": 0}


def test_session_lost(api: Api):
    load(api, "session-lost")
    headers = bearer(token(api).json()["data"]["token"])
    lost = api.session(headers)["session_id"]
    assert_error(chat(api, headers, lost, "hello"), 404, 1002, "session not found")
    fresh = api.session(headers)["session_id"]
    assert chat(api, headers, fresh, "hello").status_code == 200


def test_unsupported_upload(api: Api, tmp_path):
    load(api, "unsupported-upload")
    headers = bearer(token(api).json()["data"]["token"])
    sid = api.session(headers)["session_id"]
    notes = tmp_path / "notes.txt"
    notes.write_text("not a video")
    assert_error(upload(api, headers, sid, notes), 415, 4001, "unsupported file type")


def test_upload_too_large(api: Api, samples):
    load(api, "upload-too-large")
    headers = bearer(token(api).json()["data"]["token"])
    sid = api.session(headers)["session_id"]
    for _ in range(2):
        response = upload(api, headers, sid, samples.path("photo_1.jpg"))
        assert_error(response, 413, 4002, "file too large")
    assert api.state(headers, sid)["state"]["video_infos"] == []


def test_silent_edit(api: Api):
    load(api, "silent-edit")
    headers = bearer(token(api).json()["data"]["token"])
    sid = api.session(headers)["session_id"]
    kinds = [e["type"] for e in events(chat(api, headers, sid, GENERATE))]
    assert "tool_result" in kinds and "text" not in kinds
    assert api.state(headers, sid)["state"]["draft"]["t"]
    spoken = [e["type"] for e in events(chat(api, headers, sid, "hello"))]
    assert "text" in spoken  # the fault fired once


def _uploaded_session(api: Api, samples):
    headers = bearer(token(api).json()["data"]["token"])
    sid = api.session(headers)["session_id"]
    files = upload(api, headers, sid, samples.path("photo_1.jpg"), samples.path("photo_2.jpg"))
    ids = [f["file_id"] for f in files.json()["data"]["files"]]
    return headers, sid, slideshow(ids)


def test_free_plan_export_blocked(api: Api, samples):
    load(api, "free-plan-export-blocked")
    headers, sid, draft = _uploaded_session(api, samples)
    for render_id in ("render_1", "render_2"):
        response = render(api, headers, sid, render_id, draft)
        assert_error(response, 402, 402, "free plan export blocked")


def test_render_fails_once(api: Api, samples):
    load(api, "render-fails-once")
    headers, sid, draft = _uploaded_session(api, samples)
    render(api, headers, sid, "render_1", draft)
    failed = final(api, headers, "render_1")
    assert (failed["status"], failed["data"]["error"]) == ("failed", "the encoder crashed")
    render(api, headers, sid, "render_2", draft)
    assert final(api, headers, "render_2")["status"] == "completed"


def test_render_stuck(api: Api, samples, clock):
    load(api, "render-stuck")
    headers, sid, draft = _uploaded_session(api, samples)
    for render_id in ("render_1", "render_2"):
        render(api, headers, sid, render_id, draft)
    clock.advance(600)
    for render_id in ("render_1", "render_2"):
        body = api.client.get(f"/api/render/proxy/lambda/{render_id}", headers=headers).json()
        assert body["status"] == "pending"


def test_baseline_has_no_faults(api: Api, samples):
    assert load(api, "baseline")["faults"] == []
    headers, sid, draft = _uploaded_session(api, samples)
    render(api, headers, sid, "render_1", draft)
    assert final(api, headers, "render_1")["status"] == "completed"


def test_an_inline_scenario_can_be_loaded(api: Api):
    document = {
        "name": "my-case",
        "title": "second balance read fails",
        "description": "d",
        "client_should": "c",
        "setup": {"initial_credits": 7},
        "faults": ["operation=getCreditBalance nth=2 error=503"],
    }
    loaded = api.client.post("/_mock/scenarios", json={"scenario": document}).json()
    assert loaded["faults"][0]["nth"] == 2
    headers = bearer(token(api).json()["data"]["token"])
    answers = [api.client.get("/api/credits/balance/simple", headers=headers) for _ in range(2)]
    assert answers[0].json()["data"]["available"] == 7
    assert answers[1].status_code == 503


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"name": "nope"}, 404, "no scenario 'nope'"),
        ({}, 400, "give either name"),
        ({"name": "baseline", "scenario": {}}, 400, "give either name"),
        ({"scenario": {"name": "x"}}, 400, "title"),
    ],
)
def test_loading_a_bad_scenario_arms_nothing(api: Api, body, status, says):
    assert_error(api.client.post("/_mock/scenarios", json=body), status, status, says)
    assert api.client.get("/_mock/faults").json() == {"faults": []}


def test_a_scenario_can_be_read_whole(api: Api):
    body = api.client.get("/_mock/scenarios/stream-drops-during-generation").json()
    assert body["faults"][0]["action"] == {"cut_after": 2, "abort": True}
    assert_error(api.client.get("/_mock/scenarios/..secret"), 404, 404, "no scenario")
