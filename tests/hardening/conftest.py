"""One mock holding a real user, session and upload, for the whole corpus; the hostile
loopback server beside it."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.media.samples import SampleSet
from nemo_mock.mock_server.settings import Settings
from tests.conftest import ATTRIBUTION
from tests.hardening.hostile import hostile_server


@dataclass
class World:
    client: TestClient
    headers: dict[str, str]
    user_id: str
    session_id: str
    file_id: str
    loop: str
    contents: dict[str, bytes]

    def fill_bytes(self, body: bytes) -> bytes:
        for name in ("sid", "uid", "fid", "loop_userinfo", "loop"):
            key = b"{" + name.encode() + b"}"
            if key in body:
                body = body.replace(key, self.fill("{" + name + "}").encode())
        return body

    def fill(self, text: str) -> str:
        port = self.loop.rsplit(":", 1)[1]
        return (
            text.replace("{sid}", self.session_id)
            .replace("{uid}", self.user_id)
            .replace("{fid}", self.file_id)
            .replace("{loop_userinfo}", f"http://user:secret@127.0.0.1:{port}")
            .replace("{loop}", self.loop)
        )


def _contents(samples: SampleSet) -> dict[str, bytes]:
    photo = samples.path("photo_1.jpg").read_bytes()
    clips = [n for n in samples.expected if n.endswith(".mp4")]
    clip = samples.path(sorted(clips)[0]).read_bytes()
    return {
        "photo": photo,
        "clip": clip,
        "text": b"these are my notes, not a picture\n" * 20,
        "random": random.Random(13).randbytes(4096),
        "truncated-photo": photo[:200],
        "truncated-clip": clip[:1024],
        "empty": b"",
        "png-header": b"\x89PNG\r\n\x1a\n" + os.urandom(0) + b"\0" * 512,
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, samples: SampleSet) -> Iterator[World]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("hardening"),
        ip_token_limit=0,
        initial_credits=1000,
        max_upload_mb=2,
        time_scale=0,
        url_fetch_timeout=3,
        render_timeout=20,
    )
    app = create_app(settings, clock=ManualClock(datetime(2026, 11, 1, tzinfo=UTC)))
    contents = _contents(samples)
    with hostile_server(contents["photo"]) as loop, TestClient(app) as client:
        token = client.post(
            "/api/auth/anonymous-token", headers={**ATTRIBUTION, "X-Client-Id": str(uuid.uuid4())}
        ).json()["data"]
        headers = {**ATTRIBUTION, "Authorization": f"Bearer {token['token']}"}
        sid = client.post(
            "/api/tasks/me/with-session/nemo_agent", headers=headers, json={"task_name": "corpus"}
        ).json()["data"]["session_id"]
        files = [("files", ("photo_1.jpg", contents["photo"], "image/jpeg"))]
        upload = client.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=headers, files=files)
        assert upload.status_code == 200, upload.text
        file_id = upload.json()["data"]["files"][0]["file_id"]
        yield World(client, headers, token["user_id"], sid, file_id, loop, contents)


def sample_dir(samples: SampleSet) -> Path:
    return samples.directory
