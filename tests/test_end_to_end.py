"""A client's whole journey: upload, chat, read the state, export that draft, inspect the MP4.

The photos are solid, distinct colours, so the frames prove which photo shows when.
"""

import json
import time
from pathlib import Path

import av
import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.media.samples import make_clip, make_photo
from tests.conftest import Api
from tests.render.helpers import frames_at

pytestmark = [pytest.mark.ffmpeg, pytest.mark.slow]

COLOURS = ["#d62828", "#2a9d8f", "#264653", "#e9c46a", "#8338ec"]


MIDDLE_BAND = (0.0, 1 / 3, 1.0, 2 / 3)  # away from titles at the top and bottom


def band_colour(path: Path, seconds: float = 0.0) -> tuple[float, ...]:
    return frames_at(path, [seconds])[seconds].mean(MIDDLE_BAND)


def distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


@pytest.fixture
def media(tmp_path) -> list[Path]:
    photos = [
        make_photo(tmp_path / f"p{i}.jpg", width=640, height=360, color=colour)
        for i, colour in enumerate(COLOURS)
    ]
    clip = make_clip(tmp_path / "clip.mp4", seconds=2, width=640, height=360, color="#f4f4f4")
    return [*photos, clip]


def test_photos_appear_in_upload_order_in_the_exported_video(make_app, media, tmp_path):
    with TestClient(make_app(time_scale=0, silent_rate=0, temp_issue_rate=0)) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers, language="en")["session_id"]
        files = [("files", (p.name, p.read_bytes())) for p in media]
        uploaded = client.post(
            f"/api/upload-video/nemo_agent/me/{sid}", headers=headers, files=files
        )
        ids = [f["file_id"] for f in uploaded.json()["data"]["files"]]

        message = "turn my photos into a 12-second 720p video"
        body = {
            "app_name": "nemo_agent",
            "user_id": "me",
            "session_id": sid,
            "new_message": {"parts": [{"text": message}]},
        }
        stream = client.post("/run_sse", headers=headers, json=body)
        events = [
            json.loads(line[5:])
            for line in stream.text.splitlines()
            if line.startswith("data:") and line[5:].strip()
        ]
        assert events[0]["name"] == "generate_video_with_seedance"

        draft = api.state(headers, sid)["state"]["draft"]
        video = next(t for t in draft["t"] if t["tt"] == 0)
        assert [s["src"] for s in video["sg"]] == ids[:5]  # "my photos": the clip stays out

        export = {
            "id": "render_e2e",
            "sessionId": sid,
            "draft": draft,
            "output": {"format": "mp4", "quality": "low"},
        }
        assert client.post("/api/render/proxy/lambda", headers=headers, json=export).is_success
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            job = client.get("/api/render/proxy/lambda/render_e2e", headers=headers).json()
            if job["status"] in ("completed", "failed"):
                break
            time.sleep(0.2)
        assert job["status"] == "completed", job
        out = tmp_path / "export.mp4"
        out.write_bytes(client.get(job["output"]["url"]).content)

    with av.open(str(out)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.streams.audio[0].codec_context.name == "aac"
        assert container.duration / 1e6 == pytest.approx(draft["d"] / 1000, abs=0.05)
    references = [band_colour(p) for p in media]
    shown = []
    for segment in video["sg"]:
        colour = band_colour(out, (segment["s"] + segment["d"] / 2) / 1000)
        shown.append(min(range(len(media)), key=lambda i: distance(colour, references[i])))
    assert shown == [0, 1, 2, 3, 4]
