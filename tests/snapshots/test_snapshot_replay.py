"""Snapshots between real processes, driven by the ``nemo-mock snapshot`` commands: a mock
saves and exports one; another starts from the file (``serve --from-snapshot``); the same
requests with the same seed then give the same agent behaviour on both, and on the first
after ``snapshot load``."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import httpx
import pytest

from nemo_mock.client_tests.live_mock import LiveMock, start_mock
from nemo_mock.mock_server.media.samples import make_photo

pytestmark = pytest.mark.live
ATTRIBUTION = {"X-Skill-Source": "nemo-video", "X-Skill-Version": "1.9", "X-Skill-Platform": "t"}
TURNS = ("turn my photos into a 4-second slideshow", "add a title that says Summer Trip")
SEED = "7"


def nemo(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "nemo_mock", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def snapshot(mock: LiveMock, *args: str) -> str:
    done = nemo("snapshot", "--url", mock.url, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Client:
    def __init__(self, url: str, token: str | None = None) -> None:
        self.http = httpx.Client(base_url=url, timeout=120)
        if token is None:
            answer = self.http.post(
                "/api/auth/anonymous-token", headers={**ATTRIBUTION, "X-Client-Id": "replay"}
            )
            token = answer.json()["data"]["token"]
        self.token = token
        self.headers = {**ATTRIBUTION, "Authorization": f"Bearer {token}"}

    def new_session(self, photos: list[Path]) -> str:
        body = {"task_name": "replay", "language": "en"}
        created = self.http.post(
            "/api/tasks/me/with-session/nemo_agent", headers=self.headers, json=body
        )
        sid: str = created.json()["data"]["session_id"]
        files = [("files", (p.name, p.read_bytes())) for p in photos]
        path = f"/api/upload-video/nemo_agent/me/{sid}"
        assert self.http.post(path, headers=self.headers, files=files).status_code == 200
        return sid

    def behaviour(self, sid: str) -> dict:
        """Every turn's events (keep-alives and heartbeats aside), then the draft."""
        turns = []
        for text in TURNS:
            body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                    "new_message": {"parts": [{"text": text}]}}  # fmt: skip
            with self.http.stream("POST", "/run_sse", headers=self.headers, json=body) as s:
                lines = [line[6:] for line in s.iter_lines() if line.startswith("data: ")]
            events = [json.loads(line) for line in lines if line]
            turns.append([e for e in events if e["type"] != "heartbeat"])
        state = self.http.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=self.headers)
        return {"turns": turns, "draft": state.json()["data"]["state"]["draft"]}


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("replay-media")
    made = [folder / "beach.jpg", folder / "dunes.jpg"]
    make_photo(made[0], width=640, height=360, color="#2471a3", label="beach")
    make_photo(made[1], width=640, height=360, color="#b9770e", label="dunes")
    return made


def test_a_snapshot_replays_the_same_agent_behaviour_on_another_mock(photos, tmp_path):
    first = start_mock("--seed", SEED, "--time-scale", "0", data_dir=tmp_path / "a")
    try:
        client = Client(first.url)
        sid = client.new_session(photos)
        assert "base" in snapshot(first, "save", "base")
        exported = tmp_path / "shared" / "base.snapshot.tar"
        exported.parent.mkdir()
        snapshot(first, "export", "base", str(exported))
        original = client.behaviour(sid)
        assert original["turns"][0] and original["draft"]["t"]  # the agent did edit
        assert "restored base" in snapshot(first, "load", "base")
        assert client.behaviour(sid) == original  # same mock, after restoring
    finally:
        first.stop()
    with tarfile.open(exported) as tar:
        assert len([n for n in tar.getnames() if n.startswith("files/uploads/")]) == 2
    second = start_mock(
        "--seed", SEED, "--time-scale", "0", "--from-snapshot", str(exported),
        data_dir=tmp_path / "b",
    )  # fmt: skip
    try:
        again = Client(second.url, token=client.token)  # the snapshot's token works there
        assert again.behaviour(sid) == original
    finally:
        second.stop()


def test_the_snapshot_commands_list_import_and_delete(photos, tmp_path):
    mock = start_mock("--time-scale", "0", data_dir=tmp_path / "data")
    try:
        Client(mock.url).new_session(photos)
        snapshot(mock, "save", "first")
        exported = tmp_path / "first.snapshot.tar"
        snapshot(mock, "export", "first", str(exported))
        assert "imported copy" in snapshot(mock, "import", str(exported), "--name", "copy")
        listed = snapshot(mock, "list")
        assert [line.split()[0] for line in listed.splitlines()] == [
            "copy",
            "first",
        ]  # by date, name
        assert "(saved as first)" in listed and "2 files" in listed
        assert "deleted first" in snapshot(mock, "delete", "first")
        refused = nemo("snapshot", "--url", mock.url, "load", "first")
        assert refused.returncode == 1
        assert "404: no snapshot 'first' (snapshots now: copy)" in refused.stderr
    finally:
        mock.stop()


def test_serve_refuses_a_file_that_is_not_a_snapshot(tmp_path):
    bogus = tmp_path / "bogus.snapshot.tar"
    bogus.write_bytes(uuid.uuid4().bytes)
    done = nemo("serve", "--port", "0", "--from-snapshot", str(bogus))
    assert done.returncode == 2
    assert "bogus.snapshot.tar: not a snapshot file" in done.stderr
    missing = nemo("serve", "--port", "0", "--from-snapshot", str(tmp_path / "none.tar"))
    assert missing.returncode == 2 and "is not a file" in missing.stderr
