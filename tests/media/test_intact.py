"""check_intact: a file whose headers probe fine but whose data is cut is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from nemo_mock.mock_server.media.ffmpeg import run_ffmpeg
from nemo_mock.mock_server.media.intact import check_intact
from nemo_mock.mock_server.media.probe import ProbeError, probe
from nemo_mock.mock_server.media.samples import SampleSet

pytestmark = pytest.mark.ffmpeg

WHOLE = [
    "venue_clip.mp4", "clip.mov", "clip.webm", "clip.mkv", "clip.avi",
    "song.mp3", "song.wav", "song.m4a", "song.aac", "photo_1.jpg", "anim.gif",
]  # fmt: skip


@pytest.fixture(scope="module")
def faststart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MP4 with its moov box first: any cut of its data still probes fine."""
    path = tmp_path_factory.mktemp("intact") / "faststart.mp4"
    run_ffmpeg(
        [
            *("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=3"),
            *("-f", "lavfi", "-i", "sine=duration=3"),
            *("-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"),
            *("-movflags", "+faststart", str(path)),
        ]
    )
    return path


@pytest.mark.parametrize("name", WHOLE)
def test_whole_samples_are_intact(samples: SampleSet, name: str):
    path = samples.path(name)
    check_intact(path, probe(path).kind)


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.99])
def test_a_cut_mp4_probes_but_is_not_intact(faststart: Path, tmp_path: Path, keep: float):
    data = faststart.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: int(len(data) * keep)])
    assert probe(cut).kind == "video"  # the headers alone pass the probe
    with pytest.raises(ProbeError, match="truncated|damaged"):
        check_intact(cut, "video")
