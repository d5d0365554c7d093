"""``--control-token`` (issue 13 item 17): /_mock, the journal and X-Mock-Fault need the
secret; health, the contracts and the NemoVideo surfaces stay open; the secret is never
journaled."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.settings import Settings
from tests.conftest import Api, assert_error

SECRET = "ctl-9f3a7c1e5b2d"
KEY = {"X-Mock-Control-Token": SECRET}


@pytest.fixture
def locked(make_app) -> Iterator[TestClient]:
    with TestClient(make_app(control_token=SECRET)) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/_mock/journal"),
        ("GET", "/_mock/journal/har"),
        ("DELETE", "/_mock/journal"),
        ("GET", "/_mock/faults"),
        ("POST", "/_mock/reset"),
        ("POST", "/_mock/clock/advance"),
        ("GET", "/_mock/scenarios"),
    ],
)
def test_every_control_path_needs_the_token(locked, method, path):
    response = locked.request(method, path)
    body = assert_error(response, 401, 401, "needs the control token")
    assert "X-Mock-Control-Token" in body["message"] and "no control token" in body["message"]


def test_a_wrong_token_is_refused_and_said_so(locked):
    response = locked.get("/_mock/journal", headers={"X-Mock-Control-Token": "guess"})
    assert_error(response, 401, 401, "a wrong control token was sent")
    response = locked.get("/_mock/journal", headers={"Authorization": "Bearer guess"})
    assert_error(response, 401, 401, "a wrong control token was sent")


def test_the_token_opens_the_control_plane_by_header_or_bearer(locked):
    assert locked.get("/_mock/journal", headers=KEY).status_code == 200
    bearer = {"Authorization": f"Bearer {SECRET}"}
    assert locked.get("/_mock/journal", headers=bearer).status_code == 200


def test_health_docs_and_the_nemovideo_surface_stay_open(locked):
    assert locked.get("/_mock/health").status_code == 200
    assert locked.get("/_mock/openapi.json").status_code == 200
    assert locked.get("/openapi.json").status_code == 200
    api = Api(locked)
    headers = api.auth()
    sid = api.session(headers)["session_id"]
    api.state(headers, sid)  # asserts a 200 itself
    assert locked.get("/api/credits/balance/simple", headers=headers).status_code == 200


def test_x_mock_fault_needs_the_token(locked):
    api = Api(locked)
    headers = api.auth()
    fault = {"X-Mock-Fault": "error=1001"}
    response = locked.get("/api/credits/balance/simple", headers={**headers, **fault})
    assert_error(response, 401, 401, "the X-Mock-Fault header needs the control token")
    response = locked.get("/api/credits/balance/simple", headers={**headers, **fault, **KEY})
    assert_error(response, 401, 1001, "")  # the injected 1001, not the guard


def test_the_token_is_never_journaled(locked):
    api = Api(locked)
    headers = api.auth()
    locked.get("/api/credits/balance/simple", headers={**headers, **KEY, "X-Mock-Fault": "delay=0"})
    journal = locked.get("/_mock/journal", headers=KEY)
    assert SECRET not in journal.text
    entry = journal.json()["entries"][-1]
    assert entry["request"]["headers"]["x-mock-control-token"] == f"<{fingerprint(SECRET)}>"


def test_without_a_token_nothing_is_locked(client):
    assert client.get("/_mock/journal").status_code == 200


def test_the_token_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEMO_MOCK_CONTROL_TOKEN", SECRET)
    settings = Settings()
    assert settings.control_token is not None
    assert settings.control_token.get_secret_value() == SECRET
    assert SECRET not in repr(settings)
