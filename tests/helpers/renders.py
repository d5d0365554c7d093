"""Render helpers shared by the render, fault and clock tests: a session with photos, a
slideshow draft, start a render, wait for it."""

import time

import pytest

from nemo_mock.mock_server.media.samples import SampleSet
from tests.conftest import Api

SMALL = {"width": 320, "height": 180, "fps": 25}


def upload(api: Api, headers, sid: str, *paths) -> list[str]:
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    response = api.client.post(
        f"/api/upload-video/nemo_agent/me/{sid}", headers=headers, files=files
    )
    assert response.status_code == 200, response.text
    return [f["file_id"] for f in response.json()["data"]["files"]]


def slideshow(file_ids: list[str], seconds_each: float = 1.0, **meta) -> dict:
    step = int(seconds_each * 1000)
    segments = [{"s": i * step, "d": step, "src": fid} for i, fid in enumerate(file_ids)]
    total = step * len(file_ids)
    return {"t": [{"tt": 0, "sg": segments}], "d": total, "m": {**SMALL, **meta}}


def start(api: Api, headers, sid: str, draft: dict, render_id: str = "render_1", **extra):
    body = {"id": render_id, "sessionId": sid, "draft": draft, **extra}
    return api.client.post("/api/render/proxy/lambda", headers=headers, json=body)


def wait(api: Api, headers, render_id: str, until=("completed", "failed", "cancelled"), limit=90):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        body = api.client.get(f"/api/render/proxy/lambda/{render_id}", headers=headers).json()
        if body["status"] in until:
            return body
        time.sleep(0.1)
    raise AssertionError(f"render {render_id} still {body['status']} after {limit} s")


@pytest.fixture
def owner(api: Api, samples: SampleSet):
    headers = api.auth()
    sid = api.session(headers)["session_id"]
    ids = upload(api, headers, sid, samples.path("photo_1.jpg"), samples.path("photo_2.jpg"))
    return headers, sid, ids
