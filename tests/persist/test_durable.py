"""The SQLite store under ``--data-dir``: every answered change is on disk before the answer,
a new mock on the same data dir carries on (no stop in between: as after ``kill -9``), no raw
token is written, and a data dir of another schema version is refused naming it."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.media.samples import SampleSet
from nemo_mock.mock_server.persist import StateVersionError
from nemo_mock.mock_server.persist.sqlite import FILE_NAME
from nemo_mock.mock_server.runtime import Mock
from nemo_mock.mock_server.settings import Settings
from tests.conftest import Api
from tests.helpers.renders import upload

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _app(folder: Path) -> FastAPI:
    settings = Settings(data_dir=folder, persist=True)
    return create_app(settings, clock=ManualClock(START), rng=random.Random(0))


def _mock(app: FastAPI) -> Mock:
    mock: Mock = app.state.mock
    return mock


def test_a_new_mock_on_the_data_dir_has_every_answered_change(tmp_path: Path, samples: SampleSet):
    first = TestClient(_app(tmp_path))  # never stopped: the process "dies" with its state
    api = Api(first)
    alice, bob = api.auth("a"), api.auth("b")
    sid = api.session(alice)["session_id"]
    [file_id] = upload(api, alice, sid, samples.path("photo_1.jpg"))
    bob_sid = api.session(bob)["session_id"]
    assert first.post("/_mock/credits", json={"token": alice["Authorization"][7:],
                                              "available": 42}).status_code == 200  # fmt: skip
    doc = _mock(first.app).export_state()  # type: ignore[attr-defined]
    second = _app(tmp_path)
    with TestClient(second) as client:
        assert _mock(second).restored
        again = Api(client)
        state = again.state(alice, sid)
        assert [f["file_id"] for f in state["state"]["video_infos"]] == [file_id]
        url = state["state"]["video_infos"][0]["cdn_url"]
        cdn = client.get("/" + url.split("/", 3)[3])
        assert cdn.content == samples.path("photo_1.jpg").read_bytes()
        balance = client.get("/api/credits/balance/simple", headers=alice).json()["data"]
        assert balance["available"] == 42
        foreign = client.get(f"/api/state/nemo_agent/me/{bob_sid}/latest", headers=alice)
        assert foreign.json()["code"] == 1002
        new_sid = again.session(alice)["session_id"]
        assert new_sid not in doc["tables"]["sessions"]


def test_no_raw_token_is_written_to_the_data_dir(tmp_path: Path):
    with TestClient(_app(tmp_path)) as client:
        api = Api(client)
        raws = [api.auth(str(n))["Authorization"][7:] for n in range(3)]
        minted = client.post("/_mock/tokens", json={"plan": "pro"}).json()["token"]
    data = b"".join(p.read_bytes() for p in tmp_path.glob(f"{FILE_NAME}*"))
    assert b"fp_" in data
    for raw in [*raws, minted]:
        assert raw.encode() not in data


def test_a_data_dir_of_another_schema_version_is_refused_naming_it(tmp_path: Path):
    with TestClient(_app(tmp_path)) as client:
        Api(client).auth("a")
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute("UPDATE meta SET value = '0' WHERE name = 'schema_version'")
    with pytest.raises(StateVersionError) as caught:
        _app(tmp_path)
    assert "state schema version 0" in caught.value.message
    assert "reads version 1" in caught.value.message


def test_a_graceful_stop_releases_holds_and_fails_unfinished_renders(tmp_path: Path):
    from nemo_mock.mock_server.domain.pricing import TurnWork

    with TestClient(_app(tmp_path)) as client:
        api = Api(client)
        alice = api.auth("a")
        sid = api.session(alice)["session_id"]
        backend = _mock(client.app).backend  # type: ignore[attr-defined]
        token = backend.authenticate(alice["Authorization"][7:])
        backend.open_turn(token, backend.sessions.get(sid, token.user_id), TurnWork(edits=1))
        assert backend.ledger.balance(token.user_id).frozen == 50
    with TestClient(_app(tmp_path)) as client:
        balance = client.get("/api/credits/balance/simple", headers=alice).json()["data"]
        assert (balance["available"], balance.get("frozen", 0)) == (100, 0)


def test_a_render_that_ends_in_the_background_is_committed_without_a_request(
    tmp_path: Path, samples: SampleSet
):
    """Nobody asks after the render: its end is on disk all the same, so a mock killed right
    after it (no answer in between to carry the commit) still has the video."""
    import json
    import time

    from tests.helpers.renders import slideshow, start

    client = TestClient(_app(tmp_path))  # never stopped: the process "dies" with its state
    api = Api(client)
    alice = api.auth("a")
    sid = api.session(alice)["session_id"]
    ids = upload(api, alice, sid, samples.path("photo_1.jpg"), samples.path("photo_2.jpg"))
    assert start(api, alice, sid, slideshow(ids), "render_bg").status_code == 200
    # no request from here on: only the render's own end can commit it
    deadline = time.monotonic() + 120
    status = None
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        while status not in ("completed", "failed"):
            assert time.monotonic() < deadline, f"on disk: {status}"
            time.sleep(0.05)
            rows = db.execute("SELECT key, value FROM rows WHERE tbl = 'renders'").fetchall()
            status = next(
                (json.loads(value)["status"] for key, value in rows if key.endswith("render_bg")),
                None,
            )
    assert status == "completed"
    with TestClient(_app(tmp_path)) as second:
        polled = second.get("/api/render/proxy/lambda/render_bg", headers=alice).json()
        assert polled["status"] == "completed", polled
