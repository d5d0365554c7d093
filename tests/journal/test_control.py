"""``/_mock/journal``: filters, clearing, the ring buffer's bound, the HAR export."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.domain.secrets import fingerprint
from tests.conftest import Api, assert_error
from tests.journal.conftest import journal_entries


@pytest.fixture
def two_users(api: Api):
    """Two tokens, a session each, a state read each: 6 entries."""
    users = []
    for _ in range(2):
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        api.state(headers, sid)
        users.append((headers["Authorization"].removeprefix("Bearer "), sid))
    return users


def test_the_token_filter_takes_a_fingerprint_or_the_raw_token(api: Api, two_users):
    (token, _), _ = two_users
    for given in (fingerprint(token), f"<{fingerprint(token)}>", token):
        found = journal_entries(api.client, token=given)
        assert [e["operation"] for e in found] == ["createSession", "getSessionState"]
        assert {e["token"] for e in found} == {fingerprint(token)}


def test_session_and_operation_filters_combine(api: Api, two_users):
    _, (_, sid) = two_users
    assert [e["operation"] for e in journal_entries(api.client, session=sid)] == ["getSessionState"]
    assert len(journal_entries(api.client, operation="getSessionState")) == 2
    assert journal_entries(api.client, session=sid, operation="createSession") == []


def test_since_is_exclusive_and_limit_keeps_the_oldest(api: Api, two_users):
    answer = api.client.get("/_mock/journal").json()
    assert [e["seq"] for e in answer["entries"]] == [1, 2, 3, 4, 5, 6]
    assert answer["last_seq"] == 6 and answer["evicted"] == 0 and answer["capacity"] == 10_000
    assert [e["seq"] for e in journal_entries(api.client, since=4)] == [5, 6]
    assert [e["seq"] for e in journal_entries(api.client, since=1, limit=2)] == [2, 3]
    assert journal_entries(api.client, since=6) == []


def test_clear_empties_the_journal_but_numbering_goes_on(api: Api, two_users):
    assert api.client.delete("/_mock/journal").json() == {"cleared": 6}
    assert journal_entries(api.client) == []
    api.client.get("/api/credits/balance/simple")
    answer = api.client.get("/_mock/journal").json()
    assert [e["seq"] for e in answer["entries"]] == [7] and answer["last_seq"] == 7
    assert api.client.delete("/_mock/journal").json() == {"cleared": 1}


def test_the_ring_buffer_keeps_the_last_entries_and_counts_the_evicted(make_app):
    with TestClient(make_app(journal_size=3)) as client:
        for n in range(5):
            client.get(f"/api/nothing/{n}")
        answer = client.get("/_mock/journal").json()
    assert [e["path"] for e in answer["entries"]] == [f"/api/nothing/{n}" for n in (2, 3, 4)]
    assert (answer["evicted"], answer["capacity"], answer["last_seq"]) == (2, 3, 5)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "limit"),
        ("limit=10001", "limit"),
        ("limit=many", "limit"),
        ("since=-1", "since"),
        ("since=x", "since"),
        ("token=", "token"),
        ("session=", "session"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(client, query, message):
    for path in ("/_mock/journal", "/_mock/journal/har"):
        body = assert_error(client.get(f"{path}?{query}"), 400, 400, "invalid request")
        assert message in body["message"]


def test_the_control_plane_itself_is_not_journaled(client):
    client.get("/_mock/journal")
    client.get("/_mock/journal/har")
    client.delete("/_mock/journal")
    assert client.get("/_mock/journal").json()["last_seq"] == 0


# -- HAR -------------------------------------------------------------------------------------

REQUEST_FIELDS = {"method", "url", "httpVersion", "cookies", "headers", "queryString"}
RESPONSE_FIELDS = {"status", "statusText", "httpVersion", "cookies", "headers", "content"}


def test_the_har_export_is_structurally_har_1_2(api: Api, two_users):
    token, _ = two_users[0]
    auth = {"Authorization": f"Bearer {token}"}
    api.client.get(f"/api/credits/balance/simple?token={token}&x=1", headers=auth)
    response = api.client.get("/_mock/journal/har")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    log = response.json()["log"]
    assert log["version"] == "1.2" and log["creator"]["name"] == "nemo-mock"
    assert log["creator"]["version"]
    assert len(log["entries"]) == 7
    for entry in log["entries"]:
        assert {"startedDateTime", "time", "request", "response", "cache", "timings"} <= set(entry)
        request, response_ = entry["request"], entry["response"]
        assert REQUEST_FIELDS | {"headersSize", "bodySize"} <= set(request)
        assert RESPONSE_FIELDS | {"redirectURL", "headersSize", "bodySize"} <= set(response_)
        assert {"size", "mimeType"} <= set(response_["content"])
        assert {"send", "wait", "receive"} <= set(entry["timings"])
        timed = sum(v for k, v in entry["timings"].items() if k != "comment" and v != -1)
        assert entry["time"] == pytest.approx(timed)
        assert all(set(h) == {"name", "value"} for h in request["headers"])
    last = log["entries"][-1]
    assert last["request"]["url"].startswith("http://testserver/api/credits/balance/simple?")
    assert last["request"]["queryString"] == [
        {"name": "token", "value": f"<{fingerprint(token)}>"},
        {"name": "x", "value": "1"},
    ]
    assert '"code": 0' in last["response"]["content"]["text"]
    assert token not in response.text


def test_the_har_export_takes_the_same_filters(api: Api, two_users):
    _, (_, sid) = two_users
    log = api.client.get("/_mock/journal/har", params={"session": sid}).json()["log"]
    assert [e["request"]["method"] for e in log["entries"]] == ["GET"]
    assert api.client.get("/_mock/journal/har", params={"since": 99}).json()["log"]["entries"] == []
