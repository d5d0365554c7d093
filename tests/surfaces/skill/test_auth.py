import re
from datetime import datetime

import pytest

from tests.conftest import ATTRIBUTION, Api, assert_error


def test_anonymous_token_answers_the_documented_shape(api: Api, clock):
    response = api.client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c-1"})
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == 0
    data = body["data"]
    assert re.fullmatch(r"nmv_usr_[a-z0-9]{32}", data["token"])
    assert re.fullmatch(r"anon_[0-9a-f]{16}", data["user_id"])
    assert data["credits"] == 100
    expires = datetime.fromisoformat(data["expires_at"])
    assert (expires - clock.now()).days == 7


def test_missing_client_id_is_http_400(api: Api):
    response = api.client.post("/api/auth/anonymous-token", headers=ATTRIBUTION)
    assert_error(response, 400, 400, "missing X-Client-Id")


def test_second_token_for_a_client_is_429_with_retry_after(api: Api, clock):
    api.anonymous_token("c-1")
    clock.advance(60)
    response = api.client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c-1"})
    assert_error(response, 429, 429, "one anonymous token per client id")
    assert int(response.headers["Retry-After"]) == 7 * 86_400 - 60


def test_after_expiry_the_same_client_may_ask_again_and_carries_on_as_the_same_user(
    api: Api, clock
):
    first = api.anonymous_token("c-1")
    headers = {**ATTRIBUTION, "Authorization": f"Bearer {first['token']}"}
    session = api.session(headers)
    clock.advance(7 * 86_400)
    second = api.anonymous_token("c-1")
    assert second["token"] != first["token"]
    assert second["user_id"] == first["user_id"]
    renewed = {**ATTRIBUTION, "Authorization": f"Bearer {second['token']}"}
    assert api.state(renewed, session["session_id"])["session_id"] == session["session_id"]


def test_per_ip_limit_is_configurable(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(ip_token_limit=2)) as client:
        for i in range(2):
            assert client.post(
                "/api/auth/anonymous-token", headers={"X-Client-Id": f"c{i}"}
            ).is_success
        response = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c9"})
        assert_error(response, 429, 429, "too many anonymous tokens from testclient")
        assert int(response.headers["Retry-After"]) > 0
    with TestClient(make_app(ip_token_limit=2), client=("10.1.1.1", 5000)) as other_ip:
        assert other_ip.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c9"}).is_success


def test_ip_limit_zero_means_unlimited(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(ip_token_limit=0)) as client:
        for i in range(15):
            assert client.post(
                "/api/auth/anonymous-token", headers={"X-Client-Id": f"c{i}"}
            ).is_success


def test_claim_token(api: Api):
    headers = api.auth()
    session = api.session(headers)
    response = api.client.post(
        "/api/auth/claim-token",
        headers=headers,
        json={"task_id": session["task_id"], "session_id": session["session_id"]},
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert re.fullmatch(r"clm_[a-z0-9]{32}", data["claim_token"])
    assert data["expires_in"] == 604_800


def test_claim_token_is_refused_as_bearer(api: Api):
    headers = api.auth()
    session = api.session(headers)
    claim = api.client.post(
        "/api/auth/claim-token",
        headers=headers,
        json={"task_id": session["task_id"], "session_id": session["session_id"]},
    ).json()["data"]["claim_token"]
    response = api.client.get(
        "/api/credits/balance/simple", headers={"Authorization": f"Bearer {claim}"}
    )
    assert_error(response, 401, 1001, "claim tokens")


def test_claim_token_for_a_foreign_session_is_1002(api: Api):
    alice, bob = api.auth("a"), api.auth("b")
    session = api.session(alice)
    response = api.client.post(
        "/api/auth/claim-token",
        headers=bob,
        json={"task_id": session["task_id"], "session_id": session["session_id"]},
    )
    assert_error(response, 404, 1002, "not found")


def test_claim_token_body_is_validated(api: Api):
    response = api.client.post("/api/auth/claim-token", headers=api.auth(), json={"task_id": 5})
    body = assert_error(response, 400, 400, "invalid request")
    assert "task_id" in body["message"] and "session_id" in body["message"]


def test_bogus_token_is_1001(api: Api):
    response = api.client.get(
        "/api/credits/balance/simple", headers={"Authorization": "Bearer nmv_usr_bogus"}
    )
    assert_error(response, 401, 1001, "unknown token")


def test_missing_token_is_1001(api: Api):
    response = api.client.get("/api/credits/balance/simple")
    assert_error(response, 401, 1001, "missing bearer token")


def test_expired_token_is_1001(api: Api, clock):
    headers = api.auth()
    clock.advance(7 * 86_400 + 1)
    response = api.client.get("/api/credits/balance/simple", headers=headers)
    assert_error(response, 401, 1001, "expired")


def test_envelope_style_answers_http_200_with_the_code(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(error_style="envelope")) as client:
        response = client.get(
            "/api/credits/balance/simple", headers={"Authorization": "Bearer nmv_usr_bogus"}
        )
        assert_error(response, 200, 1001, "unknown token")
        # plain HTTP codes keep their status in the envelope style too
        assert_error(client.post("/api/auth/anonymous-token"), 400, 400, "X-Client-Id")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "invalid request: body: Invalid JSON"),
        (b'{"task_id": 5, "session_id": "1"}', "body.task_id: Input should be a valid string"),
        (b"", "a JSON body is required"),
    ],
)
def test_claim_token_parse_errors_say_what_was_wrong(api: Api, body: bytes, message: str):
    """It answered 'There was an error parsing the body' and nothing more."""
    headers = {**api.auth(), "Content-Type": "application/json"}
    response = api.client.post("/api/auth/claim-token", headers=headers, content=body)
    assert_error(response, 400, 400, message)
