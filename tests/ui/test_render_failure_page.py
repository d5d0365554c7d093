"""The Renders page of a failed render shows ffmpeg's reason and the command that failed (an
ffmpeg that always fails stands in for a broken encoder)."""

from pathlib import Path

from fastapi.testclient import TestClient

from nemo_mock.mock_server.media.samples import SampleSet
from tests.conftest import Api
from tests.helpers.renders import slideshow, start, upload, wait

BROKEN_FFMPEG = """#!/bin/sh
echo "Unknown encoder 'libx264' (this ffmpeg is broken on purpose)" >&2
exit 1
"""


def test_a_failed_render_shows_its_reason_and_its_ffmpeg_command(
    make_app, tmp_path: Path, samples: SampleSet
):
    ffmpeg = tmp_path / "broken-ffmpeg"
    ffmpeg.write_text(BROKEN_FFMPEG)
    ffmpeg.chmod(0o755)
    with TestClient(make_app(ffmpeg=str(ffmpeg))) as client:
        api = Api(client)
        headers = api.auth()
        sid = api.session(headers)["session_id"]
        ids = upload(api, headers, sid, samples.path("photo_1.jpg"))
        assert start(api, headers, sid, slideshow(ids)).status_code == 200
        assert wait(api, headers, "render_1")["status"] == "failed"
        page = client.get("/_mock/ui/renders").text
    assert "Unknown encoder" in page  # the reason
    assert "the ffmpeg command that failed" in page
    assert str(ffmpeg) in page and "-i " in page  # the command line itself
