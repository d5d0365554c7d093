"""``--render-quality-cap``: every render encoded at most at that quality, whatever the client
asked, read from the encoder's own settings in the file (x264 writes them into the stream);
the job still reports the quality asked."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from nemo_mock.mock_server.media.samples import SampleSet
from nemo_mock.mock_server.render.quality import QUALITY_SETTINGS, capped
from tests.conftest import Api
from tests.helpers.renders import slideshow, start, upload, wait

pytestmark = pytest.mark.ffmpeg


@pytest.mark.parametrize(
    ("asked", "cap", "encoded"),
    [
        ("high", None, "high"),
        ("high", "low", "low"),
        ("high", "medium", "medium"),
        ("medium", "low", "low"),
        ("low", "high", "low"),
        ("medium", "high", "medium"),
        ("low", "medium", "low"),
    ],
)
def test_the_cap_lowers_a_higher_quality_and_keeps_a_lower_one(asked, cap, encoded):
    assert capped(asked, cap) == encoded


def _encoder_settings(mp4: bytes) -> dict[str, str]:
    """The x264 options written into the stream (``key=value`` pairs after ``options:``)."""
    found = re.search(rb"x264 - core \d+.*? options: ([^\x00]+)", mp4, re.S)
    assert found, "no x264 settings in the file"
    pairs = [item.partition("=") for item in found.group(1).decode("latin-1").split()]
    return {key: value for key, _, value in pairs}


@pytest.mark.parametrize(("cap", "preset"), [(None, "veryfast"), ("low", "ultrafast")])
def test_a_high_quality_render_is_encoded_at_the_cap(make_app, samples: SampleSet, cap, preset):
    with TestClient(make_app(render_quality_cap=cap)) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        ids = upload(api, headers, sid, samples.path("photo_1.jpg"), samples.path("photo_2.jpg"))
        output = {"format": "mp4", "quality": "high"}
        assert start(api, headers, sid, slideshow(ids), output=output).is_success
        job = wait(api, headers, "render_1")
        assert job["status"] == "completed", job
        mp4 = client.get(job["output"]["url"]).content
    settings = _encoder_settings(mp4)
    assert settings["crf"].startswith(QUALITY_SETTINGS["low" if cap else "high"]["crf"])
    # ultrafast turns CABAC and the deblocking filter off; veryfast keeps both
    assert settings["cabac"] == ("0" if preset == "ultrafast" else "1")
    # and one encoder thread at ultrafast (quality.py); x264 picks the count otherwise
    if cap:
        assert settings["threads"] == "1"
