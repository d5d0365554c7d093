"""Choosing an era: ``--era``, a scenario's ``era:``, the ``X-Mock-Era`` header; reset."""

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from nemo_mock.mock_server.settings import Settings
from tests.conftest import ATTRIBUTION, assert_error

TOKEN_CALL = "/api/auth/anonymous-token"


def test_serving_an_era_answers_the_token_call_as_its_documents_say(
    make_app: Callable[..., FastAPI],
):
    with TestClient(make_app(era="v1.0")) as client:
        body = client.post(TOKEN_CALL, headers=ATTRIBUTION).json()
    assert body["code"] == 0 and body["data"]["expires_at"] is None


def test_latest_is_the_default_and_refuses_a_token_call_without_client_id(client: TestClient):
    assert_error(client.post(TOKEN_CALL, headers=ATTRIBUTION), 400, 400, "X-Client-Id")
    data = client.post(TOKEN_CALL, headers={**ATTRIBUTION, "X-Client-Id": "c1"}).json()["data"]
    assert data["expires_at"].startswith("2026-11-08")


def test_the_header_answers_one_request_in_another_era(client: TestClient):
    headers = {**ATTRIBUTION, "X-Mock-Era": "v1.0"}
    assert client.post(TOKEN_CALL, headers=headers).json()["code"] == 0
    assert_error(client.post(TOKEN_CALL, headers=ATTRIBUTION), 400, 400, "X-Client-Id")
    entries = client.get("/_mock/journal").json()["entries"]
    assert entries[0]["notes"].get("era") == "v1.0"
    assert "era" not in (entries[1].get("notes") or {})


def test_an_unknown_era_in_the_header_is_400_naming_the_known_ones(client: TestClient):
    response = client.post(TOKEN_CALL, headers={**ATTRIBUTION, "X-Mock-Era": "v9"})
    body = assert_error(response, 400, 400, "X-Mock-Era: unknown era 'v9'")
    assert "v1.4" in body["message"] and "latest" in body["message"]


def test_without_the_control_plane_the_header_is_ignored(make_app: Callable[..., FastAPI]):
    with TestClient(make_app(control=False)) as client:
        response = client.post(TOKEN_CALL, headers={**ATTRIBUTION, "X-Mock-Era": "v1.0"})
    assert_error(response, 400, 400, "X-Client-Id")


def test_the_control_token_locks_the_header(make_app: Callable[..., FastAPI]):
    with TestClient(make_app(control_token="s3cret")) as client:
        locked = client.post(TOKEN_CALL, headers={**ATTRIBUTION, "X-Mock-Era": "v1.0"})
        assert_error(locked, 401, 401, "the X-Mock-Era header needs the control token")
        opened = {**ATTRIBUTION, "X-Mock-Era": "v1.0", "X-Mock-Control-Token": "s3cret"}
        assert client.post(TOKEN_CALL, headers=opened).json()["code"] == 0


def test_a_scenario_chooses_the_era_until_reset(client: TestClient):
    scenario = {
        "name": "old-skill",
        "title": "A 1.0 client",
        "description": "The first skill's documents.",
        "client_should": "Work as 1.0 said.",
        "era": "v1.0",
    }
    loaded = client.post("/_mock/scenarios", json={"scenario": scenario})
    assert loaded.status_code == 200, loaded.text
    assert client.post(TOKEN_CALL, headers=ATTRIBUTION).json()["code"] == 0
    assert client.post("/_mock/reset").status_code == 200
    assert_error(client.post(TOKEN_CALL, headers=ATTRIBUTION), 400, 400, "X-Client-Id")


def test_a_scenario_with_an_unknown_era_is_refused(client: TestClient):
    scenario = {
        "name": "bad",
        "title": "t",
        "description": "d",
        "client_should": "c",
        "era": "v0.1",
    }
    response = client.post("/_mock/scenarios", json={"scenario": scenario})
    assert response.status_code == 400 and "unknown era 'v0.1'" in response.text


def test_settings_refuse_an_unknown_era():
    with pytest.raises(ValidationError, match="known eras are v1.0"):
        Settings(era="v0.1")
