"""Faults acted out by the middleware and the routes, in-process (streams are live tests)."""

import pytest

from nemo_mock.mock_server.domain.secrets import fingerprint
from tests.conftest import ATTRIBUTION, Api, assert_error
from tests.helpers.chat import arm, chat, events


@pytest.mark.parametrize(
    ("code", "status", "words"),
    [
        (1001, 401, "token expired"),
        (1002, 404, "session not found"),
        (2001, 402, "not enough credits"),
        (4001, 415, "unsupported file type"),
        (4002, 413, "file too large"),
        (400, 400, "X-Client-Id"),
        (402, 402, "free plan export blocked"),
        (503, 503, "service unavailable"),
    ],
)
def test_an_error_fault_answers_the_documented_code_and_status(api: Api, code, status, words):
    headers = api.auth()
    arm(api, operation="getCreditBalance", action={"error": code})
    response = api.client.get("/api/credits/balance/simple", headers=headers)
    assert_error(response, status, code, words)
    assert "[nemo-mock fault f1]" in response.json()["message"]
    assert api.client.get("/api/credits/balance/simple", headers=headers).status_code == 200


def test_error_faults_follow_the_envelope_error_style(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(error_style="envelope")) as client:
        response = client.post(
            "/api/auth/anonymous-token",
            headers={"X-Client-Id": "c", "X-Mock-Fault": "error=1001"},
        )
        assert (response.status_code, response.json()["code"]) == (200, 1001)


def test_a_429_fault_says_when_to_come_back(api: Api):
    arm(api, operation="createAnonymousToken", action={"error": 429, "retry_after": 30})
    response = api.client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c1"})
    assert_error(response, 429, 429, "rate limited")
    assert response.headers["Retry-After"] == "30"


def test_an_injected_2001_names_the_bind_url_like_the_real_refusal(api: Api):
    headers = api.auth()
    session = api.session(headers)
    arm(api, operation="runSse", action={"error": 2001})
    body = assert_error(chat(api, headers, session["session_id"]), 402, 2001, "credits")
    assert "/register?bind=anon_" in body["data"]["bind_url"]


def test_the_header_applies_a_fault_to_its_own_request_only(api: Api):
    headers = api.auth()
    faulted = api.client.get(
        "/api/credits/balance/simple", headers={**headers, "X-Mock-Fault": "error=1002"}
    )
    assert_error(faulted, 404, 1002, "[nemo-mock fault header]")
    assert api.client.get("/api/credits/balance/simple", headers=headers).status_code == 200


def test_a_malformed_header_gets_422_listing_the_valid_forms(api: Api):
    response = api.client.get(
        "/api/credits/balance/simple", headers={**api.auth(), "X-Mock-Fault": "explode=1"}
    )
    body = assert_error(response, 422, 422, "X-Mock-Fault: unknown key 'explode'")
    forms = body["data"]["valid_forms"]
    assert any(form.startswith("error=CODE") for form in forms)
    assert any(form.startswith("cut=N") for form in forms)


def test_control_and_cdn_paths_are_never_faulted(api: Api):
    arm(api, path="*", times=None, action={"error": 503})
    assert api.client.get("/_mock/health").status_code == 200
    assert api.client.get("/_mock/health", headers={"X-Mock-Fault": "error=503"}).status_code == 200


def test_expire_token_makes_the_real_token_expire_then_the_request_gets_1001(api: Api):
    token = api.anonymous_token("c-exp")["token"]
    headers = {**ATTRIBUTION, "Authorization": f"Bearer {token}"}
    arm(api, operation="getCreditBalance", action={"expire_token": True})
    assert_error(
        api.client.get("/api/credits/balance/simple", headers=headers), 401, 1001, "expired"
    )
    assert_error(
        api.client.get("/api/credits/balance/simple", headers=headers), 401, 1001, "expired"
    )
    renewed = api.anonymous_token("c-exp")  # the expired token freed the client id
    assert renewed["token"] != token


def test_advance_clock_moves_the_mock_clock_before_the_request(api: Api, clock):
    before = clock.now()
    headers = api.auth()
    arm(api, operation="getCreditBalance", action={"advance_clock": 3600})
    assert api.client.get("/api/credits/balance/simple", headers=headers).status_code == 200
    assert (clock.now() - before).total_seconds() == 3600


def test_latency_waits_before_the_request_is_handled(api: Api, monkeypatch):
    import nemo_mock.mock_server.faults.middleware as middleware

    slept = []

    async def fake_sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(middleware.asyncio, "sleep", fake_sleep)
    headers = api.auth()
    arm(api, operation="getCreditBalance", action={"latency_ms": 1500})
    assert api.client.get("/api/credits/balance/simple", headers=headers).status_code == 200
    assert slept == [1.5]


def test_a_session_rule_reads_the_session_from_the_body_and_the_app_still_gets_the_body(
    api: Api,
):
    headers = api.auth()
    one, two = api.session(headers), api.session(headers)
    arm(api, session=two["session_id"], times=None, action={"error": 1002})
    assert chat(api, headers, one["session_id"]).status_code == 200
    assert_error(chat(api, headers, two["session_id"]), 404, 1002, "session not found")
    state = api.client.get(f"/api/state/nemo_agent/me/{two['session_id']}/latest", headers=headers)
    assert_error(state, 404, 1002, "session not found")


def test_a_token_rule_matches_by_fingerprint(api: Api):
    mine, other = api.anonymous_token(), api.auth()
    arm(api, token=fingerprint(mine["token"]), times=None, action={"error": 503})
    mine_headers = {**ATTRIBUTION, "Authorization": f"Bearer {mine['token']}"}
    assert api.client.get("/api/credits/balance/simple", headers=mine_headers).status_code == 503
    assert api.client.get("/api/credits/balance/simple", headers=other).status_code == 200


def test_forced_silence_leaves_tool_events_and_no_text(api: Api):
    headers = api.auth()
    session = api.session(headers)
    response = chat(api, headers, session["session_id"], **{"X-Mock-Fault": "silent"})
    kinds = [e["type"] for e in events(response)]
    assert "tool_result" in kinds and "text" not in kinds
    draft = api.state(headers, session["session_id"])["state"]["draft"]
    assert draft["t"], "the work was done even though nothing was said"


def test_forced_text_overrides_the_odds_of_a_silent_close(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(silent_rate=1.0)) as client:
        api = Api(client)
        headers = api.auth()
        session = api.session(headers)
        assert chat(api, headers, session["session_id"]).status_code == 200
        quiet = chat(api, headers, session["session_id"], "add lo-fi background music")
        assert "text" not in [e["type"] for e in events(quiet)]
        told = chat(
            api,
            headers,
            session["session_id"],
            "make the music quieter",
            **{"X-Mock-Fault": "text"},
        )
        assert "text" in [e["type"] for e in events(told)]


def test_a_fault_rule_is_listed_with_its_counts_and_can_be_removed(api: Api):
    armed = arm(api, operation="getCreditBalance", nth=2, action={"error": 503})
    assert armed == {
        "id": "f1",
        "operation": "getCreditBalance",
        "nth": 2,
        "times": 1,
        "action": {"error": 503},
        "matched": 0,
        "fired": 0,
        "remaining": 1,
    }
    headers = api.auth()
    codes = [
        api.client.get("/api/credits/balance/simple", headers=headers).status_code for _ in range(3)
    ]
    assert codes == [200, 503, 200]
    listed = api.client.get("/_mock/faults").json()["faults"]
    assert (listed[0]["matched"], listed[0]["fired"], listed[0]["remaining"]) == (2, 1, 0)
    assert api.client.delete("/_mock/faults/f1").json()["id"] == "f1"
    assert_error(api.client.delete("/_mock/faults/f1"), 404, 404, "no fault 'f1'")


def test_rules_can_be_created_from_the_one_line_form_and_cleared(api: Api):
    created = api.client.post("/_mock/faults", json={"spec": "op=runSse nth=2 cut=3 abort"})
    assert created.status_code == 201
    assert created.json()["action"] == {"cut_after": 3, "abort": True}
    assert api.client.delete("/_mock/faults").json() == {"deleted": 1}
    assert api.client.get("/_mock/faults").json() == {"faults": []}


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"action": {"error": 7}}, "not a documented code"),
        ({"action": {}}, "an action needs one of"),
        ({"operation": "getRender", "action": {"cut_after": 1}}, "applies to runSse"),
        ({"nth": 0, "action": {"error": 503}}, "nth"),
        ({"times": 0, "action": {"error": 503}}, "times"),
        ({"spec": "cut"}, "needs a value"),
        ({"action": {"error": 503}, "colour": "red"}, "colour"),
        ([], "a fault rule is an object"),
    ],
)
def test_a_bad_rule_is_refused_with_a_reason_and_arms_nothing(api: Api, body, says):
    assert_error(api.client.post("/_mock/faults", json=body), 400, 400, says)
    assert api.client.get("/_mock/faults").json() == {"faults": []}
