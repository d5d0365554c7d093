"""kill -9 at random points of a busy run, restart on the same data dir, check from outside:
nothing acknowledged lost, no hold left frozen, no id reissued, no job stuck, and old tokens
reach their own data only. A real ``nemo-mock serve`` on loopback; bounded rounds."""

from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from nemo_mock.client_tests.live_mock import LiveMock, start_mock
from nemo_mock.mock_server.media.samples import SampleSet
from tests.conftest import ATTRIBUTION

pytestmark = pytest.mark.live
ROUNDS = 3
FINISHED = {"completed", "failed", "cancelled"}


@dataclass
class Acked:
    """What the mock acknowledged (answered 200) before it was killed."""

    tokens: dict[str, str] = field(default_factory=dict)  # raw token -> user id
    sessions: dict[str, str] = field(default_factory=dict)  # session id -> raw token
    uploads: dict[str, tuple[str, str]] = field(default_factory=dict)  # file id -> (sid, name)
    renders: dict[str, str] = field(default_factory=dict)  # render id -> raw token
    lock: threading.Lock = field(default_factory=threading.Lock)


def _headers(raw: str) -> dict[str, str]:
    return {**ATTRIBUTION, "Authorization": f"Bearer {raw}"}


def _worker(url: str, acked: Acked, samples: SampleSet, rng: random.Random, stop: threading.Event):
    photo = samples.path("photo_1.jpg")
    with httpx.Client(base_url=url, timeout=30) as http:
        try:
            while not stop.is_set():
                answer = http.post(
                    "/api/auth/anonymous-token",
                    headers={**ATTRIBUTION, "X-Client-Id": str(uuid.uuid4())},
                )
                raw, user = answer.json()["data"]["token"], answer.json()["data"]["user_id"]
                with acked.lock:
                    acked.tokens[raw] = user
                made = http.post(
                    "/api/tasks/me/with-session/nemo_agent",
                    headers=_headers(raw),
                    json={"task_name": "crash"},
                )
                sid = made.json()["data"]["session_id"]
                with acked.lock:
                    acked.sessions[sid] = raw
                sent = http.post(
                    f"/api/upload-video/nemo_agent/me/{sid}",
                    headers=_headers(raw),
                    files=[("files", (photo.name, photo.read_bytes()))],
                )
                file_id = sent.json()["data"]["files"][0]["file_id"]
                with acked.lock:
                    acked.uploads[file_id] = (sid, photo.name)
                if rng.random() < 0.5:
                    body = {
                        "app_name": "nemo_agent",
                        "user_id": "me",
                        "session_id": sid,
                        "new_message": {"parts": [{"text": "add upbeat music"}]},
                    }
                    with http.stream("POST", "/run_sse", headers=_headers(raw), json=body) as s:
                        for _ in s.iter_lines():
                            if rng.random() < 0.3:
                                break
                render_id = f"r_{uuid.uuid4().hex[:8]}"
                draft = {
                    "t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": file_id}]}],
                    "d": 1000,
                    "m": {"width": 320, "height": 180, "fps": 25},
                }
                started = http.post(
                    "/api/render/proxy/lambda",
                    headers=_headers(raw),
                    json={"id": render_id, "sessionId": sid, "draft": draft},
                )
                if started.status_code == 200:
                    with acked.lock:
                        acked.renders[render_id] = raw
        except (httpx.HTTPError, KeyError, ValueError):
            return  # the mock died under us: what was answered before is what counts


def _busy_then_kill(mock: LiveMock, acked: Acked, samples: SampleSet, rng: random.Random):
    stop = threading.Event()
    workers = [
        threading.Thread(
            target=_worker, args=(mock.url, acked, samples, random.Random(rng.random()), stop)
        )
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 60  # a loaded machine: the kill comes after one answer
    while not acked.uploads and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(rng.uniform(0.2, 2.5))
    mock.process.kill()  # SIGKILL: no shutdown code runs
    mock.process.wait(timeout=10)
    stop.set()
    for worker in workers:
        worker.join(timeout=60)


def _check(url: str, acked: Acked, samples: SampleSet) -> None:
    photo = samples.path("photo_1.jpg").read_bytes()
    owner_of = {sid: raw for sid, raw in acked.sessions.items()}
    with httpx.Client(base_url=url, timeout=30) as http:
        for raw in acked.tokens:
            balance = http.get("/api/credits/balance/simple", headers=_headers(raw))
            assert balance.status_code == 200, balance.text
            data = balance.json()["data"]
            assert data["total"] == data["available"] + data["frozen"], data
            assert data["frozen"] == 0, f"a hold stayed frozen without a live turn: {data}"
        for file_id, (sid, _name) in acked.uploads.items():
            state = http.get(
                f"/api/state/nemo_agent/me/{sid}/latest", headers=_headers(owner_of[sid])
            )
            infos = {f["file_id"]: f for f in state.json()["data"]["state"]["video_infos"]}
            assert file_id in infos, f"acknowledged upload {file_id} lost"
            cdn = http.get("/" + infos[file_id]["cdn_url"].split("/", 3)[3])
            assert cdn.status_code == 200 and cdn.content == photo
        sids, raws = list(acked.sessions), list(acked.sessions.values())
        for sid, raw in zip(sids, raws[1:] + raws[:1], strict=True):
            if owner_of[sid] != raw:
                foreign = http.get(f"/api/state/nemo_agent/me/{sid}/latest", headers=_headers(raw))
                assert foreign.json()["code"] == 1002, "an old token reached another user's data"
        fresh = http.post(
            "/api/auth/anonymous-token", headers={**ATTRIBUTION, "X-Client-Id": str(uuid.uuid4())}
        ).json()["data"]
        assert fresh["user_id"] not in acked.tokens.values(), "a user id was issued again"
        made = http.post(
            "/api/tasks/me/with-session/nemo_agent",
            headers=_headers(fresh["token"]),
            json={"task_name": "after"},
        ).json()["data"]
        assert made["session_id"] not in acked.sessions, "a session id was issued again"


def _no_job_stuck(url: str, acked: Acked) -> None:
    """Renders acknowledged before the kill end (re-failed with a reason, or finished)."""
    with httpx.Client(base_url=url, timeout=30) as http:
        for render_id, raw in acked.renders.items():
            job = http.get(f"/api/render/proxy/lambda/{render_id}", headers=_headers(raw)).json()
            assert job["status"] in FINISHED, f"render {render_id} stuck {job['status']}"


def test_kill_9_at_random_points_loses_nothing_acknowledged(tmp_path: Path, samples: SampleSet):
    data = tmp_path / "data"
    rng = random.Random(16)
    acked = Acked()
    args = ("--ip-token-limit", "0", "--time-scale", "0.01")
    for _ in range(ROUNDS):
        mock = start_mock(*args, data_dir=data)
        _busy_then_kill(mock, acked, samples, rng)
    mock = start_mock(*args, data_dir=data)
    try:
        assert acked.tokens and acked.uploads, "the run acknowledged nothing to check"
        print(
            f"acknowledged: {len(acked.tokens)} tokens, {len(acked.uploads)} uploads, "
            f"{len(acked.renders)} renders"
        )
        _no_job_stuck(mock.url, acked)
        _check(mock.url, acked, samples)
        assert not list(data.rglob("*.partial*")), "partial files were left"
    finally:
        mock.stop()
