"""§8 the first README (v1.0 era): /api/tokens and the deprecated X-API-Key/X-User-Id."""

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nemo_mock.mock_server.domain.clock import ManualClock
from tests.conftest import ATTRIBUTION, assert_error


@pytest.fixture
def old(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app(era="v1.0")) as client:
        yield client


def _owner(client: TestClient) -> tuple[dict[str, str], str]:
    data = client.post("/api/auth/anonymous-token", headers=ATTRIBUTION).json()["data"]
    return {**ATTRIBUTION, "Authorization": f"Bearer {data['token']}"}, data["user_id"]


def test_a_made_token_works_is_listed_without_its_secret_and_can_be_revoked(old: TestClient):
    headers, _ = _owner(old)
    made = old.post("/api/tokens", headers=headers, json={"name": "ci", "scopes": ["read"]})
    assert made.status_code == 200 and made.headers["deprecation"] == "true"
    token = made.json()["data"]
    assert token["name"] == "ci" and token["scopes"] == ["read"] and token["expires_at"] is None
    bearer = {**ATTRIBUTION, "Authorization": f"Bearer {token['token']}"}
    assert old.get("/api/credits/balance/simple", headers=bearer).json()["code"] == 0

    listed = old.get("/api/tokens", headers=headers).json()["data"]["tokens"]
    assert [t["id"] for t in listed] == [token["id"]]
    assert "token" not in listed[0] and token["token"] not in str(listed)

    revoked = old.post(f"/api/tokens/{token['id']}/revoke", headers=headers).json()["data"]
    assert revoked["revoked"] is True
    assert_error(old.get("/api/credits/balance/simple", headers=bearer), 401, 1001, "revoked")


def test_expires_in_days_sets_the_lifetime(old: TestClient, clock: ManualClock):
    headers, _ = _owner(old)
    body = {"name": "week", "expires_in_days": 2}
    token = old.post("/api/tokens", headers=headers, json=body).json()["data"]
    bearer = {**ATTRIBUTION, "Authorization": f"Bearer {token['token']}"}
    clock.advance(2 * 86_400)
    assert_error(old.get("/api/credits/balance/simple", headers=bearer), 401, 1001, "expired")


def test_a_token_cannot_grant_a_scope_its_maker_lacks(old: TestClient):
    headers, _ = _owner(old)
    response = old.post("/api/tokens", headers=headers, json={"name": "x", "scopes": ["render"]})
    assert_error(response, 401, 1001, "cannot grant scopes its maker lacks: render")


def test_bad_bodies_name_the_field(old: TestClient):
    headers, _ = _owner(old)
    response = old.post("/api/tokens", headers=headers, json={"scopes": ["fly"]})
    body = assert_error(response, 400, 400, "name")
    assert "scopes" in body["message"]


def test_another_users_token_id_is_unknown(old: TestClient):
    alice, _ = _owner(old)
    bob, _ = _owner(old)
    token = old.post("/api/tokens", headers=alice, json={"name": "a"}).json()["data"]
    response = old.post(f"/api/tokens/{token['id']}/revoke", headers=bob)
    assert_error(response, 404, 404, "no token")
    assert old.get("/api/tokens", headers=bob).json()["data"]["tokens"] == []


def test_legacy_headers_authenticate_with_a_deprecation_header(old: TestClient):
    headers, user = _owner(old)
    raw = headers["Authorization"].removeprefix("Bearer ")
    legacy = {**ATTRIBUTION, "X-API-Key": raw, "X-User-Id": user}
    response = old.get("/api/credits/balance/simple", headers=legacy)
    assert response.status_code == 200 and response.headers["deprecation"] == "true"
    assert "deprecation" not in old.get("/api/credits/balance/simple", headers=headers).headers
    entry = old.get("/_mock/journal").json()["entries"][-2]
    assert entry["notes"]["deprecated"] == "X-API-Key/X-User-Id"
    assert raw not in str(old.get("/_mock/journal").json())


def test_legacy_headers_must_name_the_tokens_user(old: TestClient):
    headers, _ = _owner(old)
    raw = headers["Authorization"].removeprefix("Bearer ")
    legacy = {**ATTRIBUTION, "X-API-Key": raw, "X-User-Id": "anon_someoneelse"}
    assert_error(old.get("/api/credits/balance/simple", headers=legacy), 401, 1001, "X-User-Id")


def test_latest_has_no_token_api_and_ignores_legacy_headers(client: TestClient):
    data = client.post(
        "/api/auth/anonymous-token", headers={**ATTRIBUTION, "X-Client-Id": "c"}
    ).json()["data"]
    bearer = {**ATTRIBUTION, "Authorization": f"Bearer {data['token']}"}
    response = client.post("/api/tokens", headers=bearer, json={"name": "ci"})
    assert_error(response, 404, 404, "not part of the API in the latest era")
    assert "deprecation" not in response.headers
    legacy = {**ATTRIBUTION, "X-API-Key": data["token"], "X-User-Id": data["user_id"]}
    assert_error(client.get("/api/credits/balance/simple", headers=legacy), 401, 1001, "")


@pytest.mark.parametrize("era", ["latest", "v1.0", "generated"])
def test_api_v1_generate_is_404_in_every_era(client: TestClient, era: str):
    body = {"prompt": "a sunset", "type": "video"}
    response = client.post("/api/v1/generate", json=body, headers={"X-Mock-Era": era})
    assert_error(response, 404, 404, "not part of the NemoVideo API")
    entry = client.get("/_mock/journal").json()["entries"][-1]
    assert entry["operation"] == "generateV1"


@pytest.mark.parametrize("control", [True, False])
def test_the_deprecation_header_comes_last_with_or_without_the_journal(
    make_app: Callable[..., FastAPI], control: bool
):
    """With the journal its send wrapper adds the header (issue 18), without it
    ``DeprecationHeader`` does: the same answer, the header last, and in the journal."""
    with TestClient(make_app(era="v1.0", control=control)) as client:
        headers, user = _owner(client)
        legacy = {**ATTRIBUTION, "X-API-Key": headers["Authorization"][7:], "X-User-Id": user}
        response = client.get("/api/credits/balance/simple", headers=legacy)
        assert response.headers.multi_items()[-1] == ("deprecation", "true")
        assert (
            "deprecation" not in client.get("/api/credits/balance/simple", headers=headers).headers
        )
        if control:
            entry = client.get("/_mock/journal").json()["entries"][-2]
            assert entry["response"]["headers"]["deprecation"] == "true"
            assert list(entry["response"]["headers"])[-1] == "deprecation"


def test_the_journal_adds_the_header_on_paths_it_does_not_journal_too():
    from nemo_mock.mock_server.edge.deprecation import mark_deprecated
    from nemo_mock.mock_server.journal.book import Journal
    from nemo_mock.mock_server.journal.middleware import JournalMiddleware

    async def app(scope, receive, send) -> None:
        if scope["path"].endswith("old"):
            mark_deprecated(scope, "old")
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-a", b"1")]})
        await send({"type": "http.response.body", "body": b"{}"})

    journal = Journal(10)
    wrapped = JournalMiddleware(app, journal, ManualClock(), deprecation=True)
    client = TestClient(wrapped)  # no lifespan: the app answers requests only
    for path in ("/_mock/old", "/api/old", "/_mock/new", "/api/new"):
        marked = client.get(path).headers.get("deprecation")
        assert marked == ("true" if path.endswith("old") else None), path
    assert [e.response.headers.get("deprecation") for e in journal.query()] == ["true", None]
