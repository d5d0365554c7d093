"""``nemo-mock render``: the same engine offline, from a draft file."""

import json
import subprocess
import sys
from pathlib import Path

import av
import pytest

from nemo_mock.mock_server.media.samples import SampleSet

pytestmark = pytest.mark.ffmpeg
FIXTURES = Path(__file__).parent.parent / "fixtures" / "drafts"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nemo_mock", "render", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def streams(path: Path) -> dict:
    with av.open(str(path)) as container:
        return {
            s.type: (s.codec_context.name, getattr(s, "width", None), getattr(s, "height", None))
            for s in container.streams
        } | {"duration": container.duration / 1e6}


def test_renders_a_draft_of_local_files(tmp_path, samples: SampleSet):
    draft = {
        "t": [
            {
                "tt": 0,
                "sg": [
                    {"s": 0, "d": 1000, "src": str(samples.path("photo_1.jpg"))},
                    {"s": 1000, "d": 1000, "src": "venue_clip.mp4"},
                ],
            }
        ],
        "d": 2000,
        "m": {"width": 320, "height": 180, "fps": 25},
    }
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(draft))
    out = tmp_path / "out.mp4"
    result = run_cli(
        str(path), "-o", str(out), "--quality", "low", "--media-dir", str(samples.directory)
    )
    assert result.returncode == 0, result.stderr
    assert "320x180, 2 s" in result.stdout
    found = streams(out)
    assert found["video"] == ("h264", 320, 180) and found["audio"][0] == "aac"
    assert found["duration"] == pytest.approx(2.0, abs=0.05)


@pytest.mark.parametrize("name", ["title_card.json", "lofi_title_portrait.json"])
def test_fixture_drafts_render(tmp_path, name):
    out = tmp_path / "out.mp4"
    result = run_cli(str(FIXTURES / name), "-o", str(out), "--quality", "low")
    assert result.returncode == 0, result.stderr
    draft = json.loads((FIXTURES / name).read_text())
    found = streams(out)
    assert found["video"][1:] == (draft["m"]["width"], draft["m"]["height"])
    assert found["duration"] == pytest.approx(draft["d"] / 1000, abs=0.05)


def test_a_saved_state_answer_is_accepted(tmp_path):
    draft = json.loads((FIXTURES / "title_card.json").read_text())
    wrapped = tmp_path / "state.json"
    wrapped.write_text(json.dumps({"code": 0, "data": {"state": {"draft": draft}}}))
    result = run_cli(str(wrapped), "-o", str(tmp_path / "o.mp4"), "--quality", "low")
    assert result.returncode == 0, result.stderr


def test_missing_media_and_bad_drafts_are_clear_errors(tmp_path):
    missing = tmp_path / "missing.json"
    missing.write_text(json.dumps({"t": [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "f_nope"}]}]}))
    result = run_cli(str(missing), "-o", str(tmp_path / "o.mp4"))
    assert result.returncode != 0 and "f_nope" in result.stderr
    absurd = tmp_path / "absurd.json"
    absurd.write_text(json.dumps({"t": [], "m": {"width": 4000, "height": 4000}}))
    result = run_cli(str(absurd), "-o", str(tmp_path / "o.mp4"))
    assert result.returncode != 0 and "draft.m.width" in result.stderr
    assert not (tmp_path / "o.mp4").exists()
