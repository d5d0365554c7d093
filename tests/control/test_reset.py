"""``POST /_mock/reset``: everything back to a fresh start, or one user forgotten."""

from nemo_mock.mock_server.domain.secrets import fingerprint
from tests.conftest import ATTRIBUTION, Api, assert_error
from tests.helpers.chat import arm


def test_a_full_reset_replays_the_same_ids_and_forgets_everything(api: Api, clock):
    """Ids replay after a reset; tokens are secrets (CSPRNG) and never do."""
    first = api.anonymous_token("c-1")
    headers = {**ATTRIBUTION, "Authorization": f"Bearer {first['token']}"}
    session = api.session(headers)
    arm(api, operation="getCreditBalance", action={"error": 503})
    api.client.post("/_mock/scenarios", json={"name": "out-of-credits"})
    clock.advance(3600)

    assert api.client.post("/_mock/reset").json()["reset"] == "all"

    assert api.client.get("/_mock/faults").json() == {"faults": []}
    assert api.client.get("/_mock/scenarios").json()["loaded"] == []
    assert api.client.get("/_mock/clock").json()["offset_seconds"] == 0
    assert_error(
        api.client.get("/api/credits/balance/simple", headers=headers), 401, 1001, "unknown token"
    )
    again = api.anonymous_token("c-1")  # no 429: the client id was forgotten
    assert (again["user_id"], again["credits"]) == (first["user_id"], 100)
    assert again["token"] != first["token"]
    renewed = {**ATTRIBUTION, "Authorization": f"Bearer {again['token']}"}
    assert api.session(renewed)["session_id"] == session["session_id"]


def test_a_full_reset_empties_the_journal(api: Api):
    api.anonymous_token()
    assert api.client.get("/_mock/journal").json()["entries"]
    api.client.post("/_mock/reset", json={})
    assert api.client.get("/_mock/journal").json()["entries"] == []


def test_a_user_reset_forgets_that_user_only(api: Api):
    mine = api.anonymous_token("mine")
    theirs = api.anonymous_token("theirs")
    my_headers = {**ATTRIBUTION, "Authorization": f"Bearer {mine['token']}"}
    their_headers = {**ATTRIBUTION, "Authorization": f"Bearer {theirs['token']}"}
    api.session(my_headers)
    their_session = api.session(their_headers)
    arm(api, operation="createSession", nth=99, action={"error": 503})

    result = api.client.post("/_mock/reset", json={"token": mine["token"]}).json()
    assert (result["reset"], result["user_id"], result["tokens"]) == ("user", mine["user_id"], 1)
    assert result["journal_entries"] >= 1
    journal = api.client.get("/_mock/journal").json()["entries"]
    assert journal and all(e["token"] != fingerprint(mine["token"]) for e in journal)
    assert any(e["token"] == fingerprint(theirs["token"]) for e in journal)

    assert_error(api.client.get("/api/credits/balance/simple", headers=my_headers), 401, 1001, "")
    assert api.state(their_headers, their_session["session_id"])["session_id"]
    assert len(api.client.get("/_mock/faults").json()["faults"]) == 1
    assert api.anonymous_token("mine")["user_id"] != mine["user_id"]


def test_a_user_reset_by_id_and_its_errors(api: Api):
    user = api.anonymous_token()["user_id"]
    assert api.client.post("/_mock/reset", json={"user_id": user}).json()["user_id"] == user
    assert_error(
        api.client.post("/_mock/reset", json={"user_id": user}), 404, 404, f"unknown user {user!r}"
    )
    assert_error(
        api.client.post("/_mock/reset", json={"user_id": "u", "token": "t"}),
        400,
        400,
        "give user_id or token, not both",
    )
    assert_error(api.client.post("/_mock/reset", json={"user_id": None}), 400, 400, "null")
    assert_error(api.client.post("/_mock/reset", json={"token": "nmv_usr_nope"}), 404, 404, "")
