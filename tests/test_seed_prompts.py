"""The seeds' "Try saying" lines, run as their users would and measured in the exported file.

Couple photos are portrait, each with a red "face" near the top (the band a crop would cut);
the measurements: the face on screen while each photo shows, the canvas following the
photos, the uploaded song as the music, sound that is not silence, the length asked for.
"""

from __future__ import annotations

from array import array
from pathlib import Path

import av
import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.media.samples import make_clip, make_song
from tests.conftest import Api
from tests.helpers.seed_flow import export, loudness, samples, turn
from tests.render.helpers import HEAD, close_to, frames_at, person

pytestmark = [pytest.mark.ffmpeg, pytest.mark.slow]


def test_wedding_photos_and_a_venue_clip_into_a_1080p_mp4(make_app, tmp_path: Path):
    photos = [person(tmp_path / f"couple_{i}.png", 600, 800) for i in range(5)]
    clip = make_clip(tmp_path / "venue.mp4", seconds=2, width=640, height=360, color="#f4f4f4")
    song = make_song(tmp_path / "our_song.mp3", seconds=8)
    with TestClient(make_app(time_scale=0, silent_rate=0, temp_issue_rate=0)) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers, language="en")["session_id"]
        files = [("files", (p.name, p.read_bytes())) for p in [*photos, clip, song]]
        up = client.post(f"/api/upload-video/nemo_agent/me/{sid}", headers=headers, files=files)
        ids = {f["filename"]: f["file_id"] for f in up.json()["data"]["files"]}
        turn(
            client,
            headers,
            sid,
            "create five couple photos and a short venue clip into a 1080p MP4",
        )
        out = tmp_path / "export.mp4"
        draft = export(api, headers, sid, out, limit=300)

    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (1080, 1920)
        assert container.duration / 1e6 == pytest.approx(draft["d"] / 1000, abs=0.05)
    music = [s["src"] for t in draft["t"] if t["tt"] == 1 for s in t["sg"]]
    assert ids["our_song.mp3"] in music  # the uploaded song, not a library track
    assert loudness(samples(out)) > 200  # not silent
    video = next(t for t in draft["t"] if t["tt"] == 0)
    photo_ids = {ids[p.name] for p in photos}
    for segment in video["sg"]:
        if segment["src"] not in photo_ids:
            continue
        at = (segment["s"] + segment["d"] / 2) / 1000
        frame = frames_at(out, [at])[at]
        faces = [frame.patch(0.5, y / 100, 0.01) for y in range(4, 40, 2)]
        assert any(close_to(f, HEAD, 60) for f in faces), (segment, faces)  # the face is there


SCRIPT = (
    "Meet Aurora, the desk lamp that learns your day. It wakes you with a warm sunrise glow. "
    "At night it dims slowly, so you sleep better. Try Aurora today."
)


def test_script_into_a_short_promo_with_voiceover_and_visuals(make_app, tmp_path: Path):
    with TestClient(make_app(time_scale=0, silent_rate=0, temp_issue_rate=0)) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers, language="en")["session_id"]
        message = f"turn this script into a short promo video with voiceover and visuals: {SCRIPT}"
        turn(client, headers, sid, message)
        out = tmp_path / "export.mp4"
        draft = export(api, headers, sid, out, limit=300)

    captions = [s for t in draft["t"] if t["tt"] == 7 for s in t["sg"] if s.get("n") != "Title"]
    assert [c["tx"] for c in captions][:4] == [
        "Meet Aurora, the desk lamp that learns your day.",
        "It wakes you with a warm sunrise glow.",
        "At night it dims slowly, so you sleep better.",
        "Try Aurora today.",
    ]
    resampler = av.AudioResampler(format="s16", layout="mono", rate=8000)
    samples = array("h")
    with av.open(str(out)) as container:
        for frame in container.decode(audio=0):
            for converted in resampler.resample(frame):
                samples.frombytes(bytes(converted.planes[0])[: converted.samples * 2])
    # the voice is heard while each caption shows (media tests tell speech from the tone)
    for caption in captions[:4]:
        first = caption["s"] * 8
        window = samples[first : first + 8 * min(1000, caption["d"])]
        assert sum(abs(s) for s in window) / len(window) > 300, caption
