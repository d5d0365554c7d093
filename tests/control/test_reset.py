"""``POST /_mock/reset``: everything back to a fresh start, or one user forgotten."""

import json
import random
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.settings import Settings
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


def _run_through(client: TestClient) -> list[object]:
    """A user's first steps (token, session, a chat turn): what the mock answered, times aside."""
    api = Api(client)
    token = api.anonymous_token("c-1")
    headers = {**ATTRIBUTION, "Authorization": f"Bearer {token['token']}"}
    sid = api.session(headers)["session_id"]
    body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
            "new_message": {"parts": [{"text": "what can you do?"}]}}  # fmt: skip
    stream = client.post("/run_sse", headers=headers, json=body).text
    events = [json.loads(x[5:]) for x in stream.splitlines() if x.startswith("data: {")]
    for event in events:
        event.pop("timestamp", None)
    return [token["user_id"], token["credits"], sid, events]


def test_a_reset_with_a_seed_replays_a_fresh_mock_of_that_seed(tmp_path: Path, clock):
    def app(name: str, seed: int) -> FastAPI:
        settings = Settings(data_dir=tmp_path / name, seed=seed, time_scale=0)
        return create_app(settings, clock=clock, rng=random.Random(seed))

    with TestClient(app("fresh", 7)) as fresh:
        expected = _run_through(fresh)
    with TestClient(app("reused", 0)) as reused:
        before = _run_through(reused)
        answer = reused.post("/_mock/reset", json={"seed": 7}).json()
        assert (answer["reset"], answer["seed"]) == ("all", 7)
        again = _run_through(reused)
        reused.post("/_mock/reset")  # later resets keep the seed
        once_more = _run_through(reused)
    assert before != expected  # another seed: other ids
    assert again == expected
    assert once_more == expected


def test_a_seed_is_for_a_reset_of_everything(api: Api):
    user = api.anonymous_token()["user_id"]
    for body in ({"seed": 1, "user_id": user}, {"seed": 1, "token": "nmv_usr_x"}):
        assert_error(api.client.post("/_mock/reset", json=body), 400, 400, "reset of everything")
    assert_error(api.client.post("/_mock/reset", json={"seed": "1"}), 400, 400, "seed")
    assert_error(api.client.post("/_mock/reset", json={"seed": 2**63}), 400, 400, "seed")


def test_a_seed_is_an_integer_as_json_schema_counts_them(api: Api):
    """``7.0`` is an integer to JSON Schema, so to the contract (Schemathesis sent one):
    accepted as 7; ``7.5`` and ``true`` are not."""
    answer = api.client.post("/_mock/reset", json={"seed": 7.0})
    assert answer.status_code == 200 and answer.json()["seed"] == 7
    for seed in (7.5, True):
        assert_error(api.client.post("/_mock/reset", json={"seed": seed}), 400, 400, "seed")
