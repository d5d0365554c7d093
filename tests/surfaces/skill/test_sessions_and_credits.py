import re

import pytest

from tests.conftest import Api, assert_error


def test_create_session(api: Api):
    headers = api.auth()
    data = api.session(headers, language="en")
    assert re.fullmatch(r"[0-9]{19}", data["session_id"])
    assert data["task_id"].startswith("task_")
    assert data["user_id"].startswith("anon_")


def test_create_session_without_a_body(api: Api):
    headers = api.auth()
    response = api.client.post("/api/tasks/me/with-session/nemo_agent", headers=headers)
    assert response.status_code == 200
    state = api.state(headers, response.json()["data"]["session_id"])
    assert state["task_name"] == "project"


def test_path_accepts_the_real_user_id(api: Api):
    token = api.anonymous_token()
    headers = {"Authorization": f"Bearer {token['token']}"}
    response = api.client.post(
        f"/api/tasks/{token['user_id']}/with-session/nemo_agent", headers=headers, json={}
    )
    assert response.status_code == 200
    sid = response.json()["data"]["session_id"]
    state = api.client.get(
        f"/api/state/nemo_agent/{token['user_id']}/{sid}/latest", headers=headers
    )
    assert state.status_code == 200
    assert state.json()["data"]["session_id"] == sid


def test_path_naming_another_user_is_1001(api: Api):
    response = api.client.post(
        "/api/tasks/anon_0000/with-session/nemo_agent", headers=api.auth(), json={}
    )
    assert_error(response, 401, 1001, "use 'me'")


def test_state_of_a_new_session(api: Api):
    headers = api.auth()
    session = api.session(headers, task_name="wedding")
    data = api.state(headers, session["session_id"])
    assert data["task_name"] == "wedding"
    assert data["task_id"] == session["task_id"]
    assert set(data["state"]) == {
        "draft",
        "video_infos",
        "canvas_config",
        "video_analyses",
        "generated_media",
    }
    assert data["state"]["draft"]["t"] == []
    assert data["state"]["canvas_config"]["aspect_ratio"] == "16:9"


def test_unknown_session_is_1002(api: Api):
    response = api.client.get(
        "/api/state/nemo_agent/me/1234567890123456789/latest", headers=api.auth()
    )
    assert_error(response, 404, 1002, "create a new session")


def test_foreign_session_is_1002_and_leaks_nothing(api: Api):
    alice, bob = api.auth("a"), api.auth("b")
    session = api.session(alice, task_name="alice-secret")
    response = api.client.get(
        f"/api/state/nemo_agent/me/{session['session_id']}/latest", headers=bob
    )
    body = assert_error(response, 404, 1002, "not found")
    assert "alice-secret" not in response.text and body["data"] is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"task_name": 5}, "task_name: Input should be a valid string"),
        ({"task_name": "p", "language": "English"}, "is not a language code"),
        ({"task_name": ""}, "task_name must be 1 to 200"),
    ],
)
def test_bad_session_bodies_are_400(api: Api, body, message):
    response = api.client.post(
        "/api/tasks/me/with-session/nemo_agent", headers=api.auth(), json=body
    )
    assert_error(response, 400, 400, message)


def test_malformed_json_is_400_not_500(api: Api):
    headers = {**api.auth(), "Content-Type": "application/json"}
    response = api.client.post(
        "/api/tasks/me/with-session/nemo_agent", headers=headers, content=b"{not json"
    )
    assert_error(response, 400, 400, "JSON")


def test_credits_of_a_new_user(api: Api):
    response = api.client.get("/api/credits/balance/simple", headers=api.auth())
    assert response.json() == {"code": 0, "data": {"available": 100, "frozen": 0, "total": 100}}


def test_initial_credits_are_configurable(make_app):
    from fastapi.testclient import TestClient

    with TestClient(make_app(initial_credits=7)) as client:
        api = Api(client)
        token = api.anonymous_token()
        assert token["credits"] == 7
        balance = client.get(
            "/api/credits/balance/simple", headers={"Authorization": f"Bearer {token['token']}"}
        ).json()["data"]
        assert balance == {"available": 7, "frozen": 0, "total": 7}


def test_credits_follow_the_ledger(api: Api, app):
    headers = api.auth()
    token = headers["Authorization"].removeprefix("Bearer ")
    backend = app.state.mock.backend
    user = backend.authenticate(token).user_id
    backend.ledger.freeze(user, 40, "generation")
    balance = api.client.get("/api/credits/balance/simple", headers=headers).json()["data"]
    assert balance == {"available": 60, "frozen": 40, "total": 100}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"null", "body: Input should be an object"),
        (b"[]", "body: Input should be an object"),
        (b'{"language": null}', "body.language: must be a string when present"),
    ],
)
def test_session_body_when_present_must_be_an_object_of_strings(api: Api, raw, message):
    headers = {**api.auth(), "Content-Type": "application/json"}
    response = api.client.post(
        "/api/tasks/me/with-session/nemo_agent", headers=headers, content=raw
    )
    assert_error(response, 400, 400, message)
