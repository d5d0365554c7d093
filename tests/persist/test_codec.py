"""The state codec: ``Mock.export_state`` is JSON-able, versioned, and ``import_state`` of it
rebuilds the same state on another mock (same document again, same answers, ids continuing)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.domain.draft_v3.model import V3Draft
from nemo_mock.mock_server.domain.draft_v3.projects import V3Project
from nemo_mock.mock_server.domain.generations import Generation
from nemo_mock.mock_server.domain.oauth import OAuthBook
from nemo_mock.mock_server.domain.pricing import TurnWork
from nemo_mock.mock_server.domain.recovery import GENERATION_INTERRUPTED, RENDER_INTERRUPTED
from nemo_mock.mock_server.media.samples import SampleSet
from nemo_mock.mock_server.persist import SCHEMA_VERSION, StateVersionError
from nemo_mock.mock_server.runtime import Mock
from nemo_mock.mock_server.settings import Settings
from tests.conftest import ATTRIBUTION, Api
from tests.helpers.renders import slideshow, upload

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _app(folder: Path) -> FastAPI:
    settings = Settings(data_dir=folder)
    return create_app(settings, clock=ManualClock(START), rng=random.Random(settings.seed))


def _mock(app: FastAPI) -> Mock:
    mock: Mock = app.state.mock
    return mock


@pytest.fixture
def busy(tmp_path: Path, samples: SampleSet):
    """A mock with two users, sessions, uploads, a fault, a moved clock, MCP rows."""
    app = _app(tmp_path / "a")
    with TestClient(app) as client:
        api = Api(client)
        alice, bob = api.auth("client-a"), api.auth("client-b")
        sid = api.session(alice, task_name="wedding")["session_id"]
        upload(api, alice, sid, samples.path("photo_1.jpg"))
        bob_sid = api.session(bob)["session_id"]
        assert (
            client.post(
                "/api/auth/claim-token",
                headers=alice,
                json={"task_id": api.state(alice, sid)["task_id"], "session_id": sid},
            ).status_code
            == 200
        )
        assert client.post("/_mock/clock/advance", json={"seconds": 3600}).status_code == 200
        rule = {"operation": "getSessionState", "times": 3, "action": {"error": 503}}
        assert client.post("/_mock/faults", json=rule).status_code == 201
        minted = client.post("/_mock/tokens", json={"plan": "pro", "credits": 500}).json()
        _mcp_rows(_mock(app))
        yield api, app, {"alice": alice, "bob": bob, "sid": sid, "bob_sid": bob_sid,
                         "minted": minted["token"]}  # fmt: skip


def _mcp_rows(mock: Mock) -> None:
    backend, tables = mock.backend, mock.backend.store.mcp
    book = OAuthBook(tables.oauth, backend.clock)
    request = {"client_id": "c1", "code_challenge": "x", "redirect_uri": "http://l/cb"}
    grant = book.issue_code(
        {**request, "redirect_uri_provided_explicitly": True}, tables.oauth.consent
    )
    book.redeem_code(grant.code)
    book.issue_code({**request, "redirect_uri_provided_explicitly": False}, tables.oauth.consent)
    tables.oauth.clients["c1"] = {"client_id": "c1", "redirect_uris": ["http://l/cb"]}
    tables.creators.add("usr_creator")
    draft = V3Draft(30, 640, 360, 5000, (), ())
    now = backend.clock.now()
    tables.projects["proj_1"] = V3Project(
        "proj_1", "usr_mcp_default", "s1", "p", "<v3/>", draft, now, now, history=["made"]
    )
    tables.generations["gen_1"] = Generation(
        "gen_1", "usr_mcp_default", "video", "clip", "a cat", 5.0, "k1", "abc", 100, 7,
        status="completed", path="/x/gen_1.mp4",
    )  # fmt: skip


def test_the_document_is_json_and_versioned(busy):
    _, app, _ = busy
    doc = _mock(app).export_state()
    assert _diff(json.loads(json.dumps(doc)), doc) == []
    assert doc["format"] == "nemo-mock/state" and doc["version"] == SCHEMA_VERSION
    expected = {"users", "tokens", "claims", "sessions", "media", "accounts", "usage",
                "oauth_access", "oauth_refresh", "oauth_codes", "mcp_projects",
                "mcp_generations", "mcp_creators", "ip_windows", "token_clients"}  # fmt: skip
    assert {name for name, rows in doc["tables"].items() if rows} >= expected
    assert len(doc["meta"]["faults"]["rules"]) == 1
    assert doc["meta"]["clock_offset_s"] == 3600


def test_no_raw_token_or_code_is_in_the_document(busy):
    _api, app, who = busy
    text = json.dumps(_mock(app).export_state())
    raws = [h["Authorization"].split()[1] for h in (who["alice"], who["bob"])] + [who["minted"]]
    assert all(raw not in text for raw in raws)
    for prefix in ("nmv_usr_", "clm_", "nmv_mcp_"):
        assert prefix not in text


def test_import_rebuilds_the_same_document_on_another_mock(busy, tmp_path: Path):
    _, app, _ = busy
    doc = json.loads(json.dumps(_mock(app).export_state()))
    other = _app(tmp_path / "b")
    with TestClient(other):
        _mock(other).import_state(doc)
        assert _diff(_mock(other).export_state(), doc) == []


def test_old_tokens_reach_their_own_data_and_only_it_after_import(busy, tmp_path: Path):
    _api, app, who = busy
    doc = _mock(app).export_state()
    other = _app(tmp_path / "b")
    with TestClient(other) as client:
        _mock(other).import_state(doc)
        for _ in range(3):  # the armed fault (getSessionState 503, 3 times) came along
            assert client.get(f"/api/state/nemo_agent/me/{who['sid']}/latest",
                              headers=who["alice"]).status_code == 503  # fmt: skip
        mine = Api(client).state(who["alice"], who["sid"])
        assert mine["state"]["video_infos"][0]["filename"] == "photo_1.jpg"
        theirs = client.get(f"/api/state/nemo_agent/me/{who['bob_sid']}/latest",
                            headers=who["alice"])  # fmt: skip
        assert theirs.status_code == 404 and theirs.json()["code"] == 1002
        assert client.get("/_mock/clock").json()["offset_seconds"] == 3600
        minted = {**ATTRIBUTION, "Authorization": f"Bearer {who['minted']}"}
        balance = client.get("/api/credits/balance/simple", headers=minted)
        assert balance.json()["data"]["available"] == 500, balance.text


def test_ids_continue_after_import_and_never_repeat(busy, tmp_path: Path):
    api, app, who = busy
    doc = _mock(app).export_state()
    other = _app(tmp_path / "b")
    with TestClient(other) as client:
        _mock(other).import_state(doc)
        here = api.session(who["alice"])["session_id"]
        there = Api(client).session(who["alice"])["session_id"]
        assert here == there
        assert there not in doc["tables"]["sessions"]
        # the same client id is still the same device: its user carries on
        again = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "client-a"})
        assert again.status_code == 429  # its token is still valid: the limit survived


def test_work_under_way_is_settled_on_import(busy, tmp_path: Path):
    _api, app, who = busy
    mock = _mock(app)
    backend = mock.backend
    token = backend.authenticate(who["alice"]["Authorization"].split()[1])
    session = backend.sessions.get(who["sid"], token.user_id)
    charge = backend.open_turn(token, session, TurnWork(edits=1, intent="trim"))
    assert backend.ledger.balance(token.user_id).frozen == 50 and session.edits_paid
    ids = [m.file_id for m in session.state.video_infos]
    backend.start_render(token, ATTRIBUTION, render_id="r1", session_id=who["sid"],
                         draft=slideshow(ids), quality="720p")  # fmt: skip
    backend.store.mcp.generations["gen_1"].status = "running"
    doc = mock.export_state()
    assert charge.hold is not None
    other = _app(tmp_path / "b")
    with TestClient(other):
        _mock(other).import_state(doc)
        restored = _mock(other).backend
        balance = restored.ledger.balance(token.user_id)
        assert (balance.frozen, balance.available, balance.total) == (0, 100, 100)
        assert not restored.sessions.get(who["sid"], token.user_id).edits_paid
        job = restored.renders.get(token.user_id, "r1")
        assert (job.status.value, job.error) == ("failed", RENDER_INTERRUPTED)
        generation = restored.store.mcp.generations["gen_1"]
        assert (generation.status, generation.error) == ("failed", GENERATION_INTERRUPTED)


@pytest.mark.parametrize("version", [0, SCHEMA_VERSION + 1, "1"])
def test_a_document_of_another_version_is_refused_naming_it(busy, version):
    _, app, _ = busy
    doc = {**_mock(app).export_state(), "version": version}
    with pytest.raises(StateVersionError) as caught:
        _mock(app).import_state(doc)
    assert f"state schema version {version!r}" in caught.value.message
    assert f"reads version {SCHEMA_VERSION}" in caught.value.message


def test_something_else_is_refused_as_not_a_state_document(busy):
    _, app, _ = busy
    with pytest.raises(StateVersionError, match="not a nemo-mock state document"):
        _mock(app).import_state({"tables": {}})


def _diff(a, b, path="$"):  # the differences, by path (none when equal)
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} != {type(b).__name__}"]
    if isinstance(a, dict):
        return [d for k in a.keys() | b.keys() for d in _diff(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=False))
            for d in _diff(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]
