"""Issue 16's acceptance, played from outside against real ``nemo-mock serve`` processes:
``kill -9`` while a render is processing and a turn holds credits; a restart on the same
data dir; then, over HTTP only: nothing acknowledged lost, no hold frozen, the interrupted
render failed with a reason (never stuck), the session takes a new turn, no id reissued, no
old token reaching another user's data, no orphan or partial file. Then the state is saved,
exported and imported with the ``nemo-mock snapshot`` CLI into a second mock, restored
there, checked the same way, and survives a ``kill -9`` of that second mock too."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from nemo_mock.client_tests.live_mock import LiveMock, start_mock
from nemo_mock.mock_server.media.samples import SampleSet
from tests.conftest import ATTRIBUTION

pytestmark = pytest.mark.live
PHOTOS = ("photo_1.jpg", "photo_2.jpg")


@dataclass
class User:
    token: str
    user_id: str
    session_id: str
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id -> its bytes

    @property
    def headers(self) -> dict[str, str]:
        return {**ATTRIBUTION, "Authorization": f"Bearer {self.token}"}


@dataclass
class Acked:
    """What the first mock answered before it was killed."""

    alice: User
    bob: User
    balance: dict[str, int]  # alice's before the turn and the long render
    done_render: str
    done_video: str  # its sha256
    long_render: str
    ids: set[str]  # every user, session and file id handed out


def _user(http: httpx.Client, client_id: str) -> User:
    made = http.post("/api/auth/anonymous-token", headers={**ATTRIBUTION, "X-Client-Id": client_id})
    data = made.json()["data"]
    user = User(data["token"], data["user_id"], "")
    sid = http.post("/api/tasks/me/with-session/nemo_agent", headers=user.headers, json={})
    user.session_id = sid.json()["data"]["session_id"]
    return user


def _upload(http: httpx.Client, user: User, samples: SampleSet) -> None:
    files = [("files", (n, samples.path(n).read_bytes())) for n in PHOTOS]
    sent = http.post(
        f"/api/upload-video/nemo_agent/me/{user.session_id}", headers=user.headers, files=files
    )
    for entry, name in zip(sent.json()["data"]["files"], PHOTOS, strict=True):
        user.uploads[entry["file_id"]] = samples.path(name).read_bytes()


def _draft(file_ids: list[str], seconds: float, width: int, height: int) -> dict[str, Any]:
    step = int(seconds * 1000)
    segments = [{"s": i * step, "d": step, "src": f} for i, f in enumerate(file_ids)]
    meta = {"width": width, "height": height, "fps": 25}
    return {"t": [{"tt": 0, "sg": segments}], "d": step * len(file_ids), "m": meta}


def _render(http: httpx.Client, user: User, render_id: str, draft: dict[str, Any]) -> None:
    body = {"id": render_id, "sessionId": user.session_id, "draft": draft}
    started = http.post("/api/render/proxy/lambda", headers=user.headers, json=body)
    assert started.status_code == 200, started.text


def _status(http: httpx.Client, user: User, render_id: str) -> dict[str, Any]:
    answer: dict[str, Any] = http.get(
        f"/api/render/proxy/lambda/{render_id}", headers=user.headers
    ).json()
    return answer


def _wait(http: httpx.Client, user: User, render_id: str, until: set[str]) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = _status(http, user, render_id)
        if job["status"] in until:
            return job
        time.sleep(0.1)
    raise AssertionError(f"render {render_id} never reached {until}")


def _video(http: httpx.Client, user: User, render_id: str) -> str:
    got = http.get(f"/api/render/proxy/{render_id}/download", headers=user.headers)
    assert got.status_code == 200 and got.content[4:8] == b"ftyp", got.status_code
    return hashlib.sha256(got.content).hexdigest()


def _balance(http: httpx.Client, user: User) -> dict[str, int]:
    data: dict[str, int] = http.get("/api/credits/balance/simple", headers=user.headers).json()[
        "data"
    ]
    return data


def _turn_body(user: User, text: str) -> dict[str, Any]:
    return {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": user.session_id,
        "new_message": {"parts": [{"text": text}]},
    }


def _hold_a_turn_open(url: str, user: User, opened: threading.Event) -> None:
    """A turn read event by event until the mock dies under it."""
    try:
        with (
            httpx.Client(base_url=url, timeout=60) as http,
            http.stream(
                "POST", "/run_sse", headers=user.headers, json=_turn_body(user, "add upbeat music")
            ) as stream,  # fmt: skip
        ):
            for _ in stream.iter_lines():
                opened.set()
    except httpx.HTTPError:
        return


def _busy_then_killed(mock: LiveMock, samples: SampleSet) -> Acked:
    with httpx.Client(base_url=mock.url, timeout=60) as http:
        alice, bob = _user(http, "alice"), _user(http, "bob")
        _upload(http, alice, samples)
        _upload(http, bob, samples)
        files = list(alice.uploads)
        _render(http, alice, "r_done", _draft(files, 0.5, 320, 180))
        assert _wait(http, alice, "r_done", {"completed", "failed"})["status"] == "completed"
        done_video = _video(http, alice, "r_done")
        before = _balance(http, alice)
        opened = threading.Event()
        turn = threading.Thread(target=_hold_a_turn_open, args=(mock.url, alice, opened))
        turn.start()
        assert opened.wait(60), "the turn never started streaming"
        _render(http, alice, "r_long", _draft(files * 20, 3.0, 1920, 1080))
        job = _wait(http, alice, "r_long", {"processing", "completed", "failed"})
        assert job["status"] == "processing", f"the long render did not stay running: {job}"
        frozen = _balance(http, alice)["frozen"]
        assert frozen > 0, "no hold was open: the kill would not be mid-turn"
    mock.process.kill()  # SIGKILL: no shutdown code runs
    mock.process.wait(timeout=10)
    turn.join(timeout=30)
    ids = {alice.user_id, bob.user_id, alice.session_id, bob.session_id}
    return Acked(alice, bob, before, "r_done", done_video, "r_long", ids | set(alice.uploads)
                 | set(bob.uploads))  # fmt: skip


def _nothing_lost(http: httpx.Client, acked: Acked, available: int) -> None:
    alice, bob = acked.alice, acked.bob
    for user in (alice, bob):
        balance = _balance(http, user)
        assert balance["total"] == balance["available"] + balance["frozen"], balance
        assert balance["frozen"] == 0, f"a hold stayed frozen: {balance}"
        state = http.get(
            f"/api/state/nemo_agent/me/{user.session_id}/latest", headers=user.headers
        ).json()["data"]["state"]
        served = {f["file_id"]: f for f in state["video_infos"]}
        assert set(served) == set(user.uploads), "an acknowledged upload was lost"
        for file_id, content in user.uploads.items():
            cdn = http.get("/" + served[file_id]["cdn_url"].split("/", 3)[3])
            assert cdn.status_code == 200 and cdn.content == content
    assert _balance(http, alice)["available"] == available, "credits moved"
    assert _status(http, alice, acked.done_render)["status"] == "completed"
    assert _video(http, alice, acked.done_render) == acked.done_video
    interrupted = _status(http, alice, acked.long_render)
    assert interrupted["status"] == "failed", f"the interrupted render: {interrupted}"
    for mine, other in ((alice, bob), (bob, alice)):
        foreign = http.get(
            f"/api/state/nemo_agent/me/{other.session_id}/latest", headers=mine.headers
        )
        assert foreign.json()["code"] == 1002, "an old token reached another user's data"
    theirs = http.get(f"/api/render/proxy/{acked.done_render}/download", headers=bob.headers)
    assert theirs.status_code == 404, "an old token reached another user's render"


def _no_id_reissued(http: httpx.Client, acked: Acked, samples: SampleSet) -> None:
    fresh = _user(http, f"carol-{len(acked.ids)}")
    _upload(http, fresh, samples)
    new_ids = {fresh.user_id, fresh.session_id, *fresh.uploads}
    assert not new_ids & acked.ids, f"ids issued again: {new_ids & acked.ids}"
    acked.ids |= new_ids


def _no_stray_files(data: Path, acked: Acked) -> None:
    assert not list(data.rglob("*.partial*")), "partial files were left"
    kept = {p.name for p in (data / "uploads").iterdir()}
    assert kept == set(acked.alice.uploads) | set(acked.bob.uploads), "orphan uploads"


def _a_new_turn_runs(http: httpx.Client, user: User) -> None:
    body = _turn_body(user, "make it brighter")
    with http.stream("POST", "/run_sse", headers=user.headers, json=body) as stream:
        assert stream.status_code == 200
        lines = list(stream.iter_lines())
    assert any(line.startswith("data:") for line in lines), "the session took no new turn"
    assert _balance(http, user)["frozen"] == 0


def _cli(url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nemo_mock", "snapshot", "--url", url, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_kill_9_mid_render_and_turn_then_a_snapshot_travels_to_a_second_mock(
    tmp_path: Path, samples: SampleSet
):
    data, second_data = tmp_path / "first", tmp_path / "second"
    fast = ("--ip-token-limit", "0", "--time-scale", "0.02")
    # real agent timing: the edit turn lasts 10-30 s, so it is still open when the mock is
    # killed however slowly the render before the kill gets going on a busy machine
    busy = start_mock("--ip-token-limit", "0", "--time-scale", "1", data_dir=data)
    acked = _busy_then_killed(busy, samples)
    first = start_mock(*fast, data_dir=data)
    try:
        with httpx.Client(base_url=first.url, timeout=60) as http:
            _nothing_lost(http, acked, acked.balance["available"])
            _no_stray_files(data, acked)
            _a_new_turn_runs(http, acked.alice)
            _no_id_reissued(http, acked, samples)
            saved = _balance(http, acked.alice)["available"]
        _cli(first.url, "save", "acceptance")
        assert "acceptance" in _cli(first.url, "list")
        exported = tmp_path / "acceptance.snapshot.tar"
        _cli(first.url, "export", "acceptance", str(exported))
    finally:
        first.stop()
    second = start_mock(*fast, data_dir=second_data)
    try:
        _cli(second.url, "import", str(exported), "--name", "shared")
        _cli(second.url, "load", "shared")
        with httpx.Client(base_url=second.url, timeout=60) as http:
            _nothing_lost(http, acked, saved)
            _no_id_reissued(http, acked, samples)
    finally:
        second.process.kill()  # the restored state is kept through a kill -9 too
        second.process.wait(timeout=10)
    again = start_mock(*fast, data_dir=second_data)
    try:
        with httpx.Client(base_url=again.url, timeout=60) as http:
            _nothing_lost(http, acked, saved)
            _no_id_reissued(http, acked, samples)
    finally:
        again.stop()
