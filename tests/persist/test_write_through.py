"""The write-through writes only the rows that changed, and misses none: after each answered
request of a busy run (tokens, uploads, a turn, a render, credits, a user forgotten, a
snapshot restored) the SQLite file holds exactly the state a full export gives; and the
rows one request writes do not grow with the number of sessions kept."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.media.samples import SampleSet
from nemo_mock.mock_server.persist.sqlite import FILE_NAME, Changes, SqliteStore
from nemo_mock.mock_server.runtime import Mock
from nemo_mock.mock_server.settings import Settings
from tests.conftest import Api
from tests.helpers.renders import slideshow, start, upload, wait

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class Counting:
    """The data dir's store, counting the rows each write carries."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.writes: list[int] = []

    def load(self) -> dict[str, Any] | None:
        loaded: dict[str, Any] | None = self.inner.load()
        return loaded

    def write(self, rows: Changes, meta: dict[str, str]) -> None:
        self.writes.append(len(rows))
        self.inner.write(rows, meta)

    def close(self) -> None:
        self.inner.close()


def _client(folder: Path) -> TestClient:
    settings = Settings(data_dir=folder, persist=True, time_scale=0.0, ip_token_limit=0)
    return TestClient(create_app(settings, clock=ManualClock(START), rng=random.Random(0)))


def _mock(client: TestClient) -> Mock:
    mock: Mock = client.app.state.mock  # type: ignore[attr-defined]
    return mock


def _on_disk(folder: Path) -> dict[str, Any]:
    reader = SqliteStore(folder / FILE_NAME)
    try:
        doc = reader.load()
    finally:
        reader.close()
    assert doc is not None
    return doc


def _same_as_memory(client: TestClient, folder: Path, step: str) -> None:
    memory = json.loads(json.dumps(_mock(client).export_state()))  # as JSON gives it back
    disk = _on_disk(folder)
    for name, rows in memory["tables"].items():
        kept = disk["tables"].get(name, {})
        missing = sorted(set(rows) - set(kept))
        extra = sorted(set(kept) - set(rows))
        assert not missing and not extra, f"after {step}: {name} lacks {missing}, has {extra}"
        stale = [key for key, row in rows.items() if kept[key] != row]
        assert not stale, f"after {step}: {name} rows not written: " + "".join(
            f"\n{key}: memory {rows[key]} disk {kept[key]}" for key in stale
        )
    assert disk["meta"] == memory["meta"], f"after {step}: meta differs"


def _turn(client: TestClient, headers: dict[str, str], sid: str, text: str) -> None:
    body = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": sid,
        "new_message": {"parts": [{"text": text}]},
    }
    with client.stream("POST", "/run_sse", headers=headers, json=body) as stream:
        assert stream.status_code == 200
        for _ in stream.iter_lines():
            pass


def test_every_answered_change_is_on_disk_and_nothing_else_is_stale(
    tmp_path: Path, samples: SampleSet
):
    with _client(tmp_path) as client:
        api = Api(client)
        alice, bob = api.auth("a"), api.auth("b")
        _same_as_memory(client, tmp_path, "two anonymous tokens")
        sid = api.session(alice)["session_id"]
        ids = upload(api, alice, sid, samples.path("photo_1.jpg"), samples.path("photo_2.jpg"))
        _same_as_memory(client, tmp_path, "a session and an upload")
        _turn(client, alice, sid, "add upbeat music")
        _same_as_memory(client, tmp_path, "a turn")
        assert start(api, alice, sid, slideshow(ids, 0.5), "r_audit").status_code == 200
        assert wait(api, alice, "r_audit")["status"] == "completed"
        _same_as_memory(client, tmp_path, "a render polled to its end")
        raw = alice["Authorization"][7:]
        assert client.post("/_mock/credits", json={"token": raw, "available": 7}).is_success
        minted = client.post("/_mock/tokens", json={"plan": "pro", "credits": 50})
        assert minted.is_success
        _same_as_memory(client, tmp_path, "credits set and a token minted")
        assert client.post("/_mock/snapshots", json={"name": "audit"}).is_success
        bob_sid = api.session(bob)["session_id"]
        upload(api, bob, bob_sid, samples.path("photo_1.jpg"))
        forgot = client.post("/_mock/reset", json={"token": alice["Authorization"][7:]})
        assert forgot.is_success, forgot.text
        _same_as_memory(client, tmp_path, "a user forgotten")
        assert client.post("/_mock/snapshots/audit/restore").is_success
        _same_as_memory(client, tmp_path, "a snapshot restored")
        assert client.post("/_mock/reset").is_success
        _same_as_memory(client, tmp_path, "a reset")


def test_the_rows_a_request_writes_do_not_grow_with_the_sessions_kept(tmp_path: Path):
    written: dict[int, int] = {}
    with _client(tmp_path) as client:
        mock = _mock(client)
        assert mock.durable is not None
        counting = Counting(mock.durable.store)
        mock.durable.store = counting
        headers = Api(client).auth("a")
        kept = 0
        for sessions in (10, 300):
            for _ in range(sessions - kept):
                client.post("/api/tasks/me/with-session/nemo_agent", headers=headers, json={})
            kept = sessions
            counting.writes.clear()
            made = client.post("/api/tasks/me/with-session/nemo_agent", headers=headers, json={})
            assert made.json()["code"] == 0
            written[sessions] = sum(counting.writes)
    assert written[10] == written[300], written
    assert 1 <= written[300] <= 3, f"one new session wrote {written[300]} rows"
