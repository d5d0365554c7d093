"""End-to-end renders, decoded with PyAV: what shows when, codecs, sizes, text, failures."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import av
import pytest

from nemo_mock.mock_server.media.probe import probe
from nemo_mock.mock_server.render import (
    RenderCancelled,
    RenderFailed,
    ResolvedMedia,
    plan_render,
    run_render,
)

from .helpers import BLACK, BLUE, GREEN, RED, YELLOW, close_to, draft, frames_at

pytestmark = pytest.mark.ffmpeg

AWKWARD = 'It\'s "50%" off: C:\\path\\ {x} \\n\n新年快乐'
TOP_BAND = (0.1, 0.03, 0.9, 0.3)
BOTTOM_BAND = (0.1, 0.7, 0.9, 0.97)


def slideshow():
    """5 s, 320x180: red (fades into) green, a black gap, a 1 s yellow clip held to 5 s."""
    return draft(
        [
            {"tt": 0, "sg": [
                {"s": 0, "d": 2000, "src": "red", "tr": {"type": "fade", "d": 500}},
                {"s": 2000, "d": 1000, "src": "green_portrait"},
                {"s": 3500, "d": 1500, "src": "yellow_clip"},
            ]},
            {"tt": 1, "n": "BGM", "sg": [{"s": 0, "d": 5000, "src": "song", "fo": 500}]},
            {"tt": 7, "sg": [{"s": 500, "d": 1000, "tx": "Hello", "pos": "top", "fs": 40}]},
        ],
        m={"width": 320, "height": 180},
    )  # fmt: skip


@pytest.fixture(scope="module")
def rendered(render, tmp_path_factory):
    output = tmp_path_factory.mktemp("slideshow") / "slideshow.mp4"
    plan, progress = render(slideshow(), output)
    return plan, progress


def streams(path: Path) -> dict[str, dict[str, object]]:
    with av.open(str(path)) as container:
        found = {}
        for stream in container.streams:
            duration = float(stream.duration * stream.time_base) if stream.duration else None
            context = stream.codec_context
            found[stream.type] = {
                "codec": context.name,
                "duration": duration,
                "width": getattr(context, "width", None),
                "height": getattr(context, "height", None),
                "pix_fmt": getattr(context, "pix_fmt", None),
                "rate": getattr(context, "sample_rate", None),
            }
        return found


def audio_level(path: Path, start: float, end: float) -> float:
    """Peak absolute sample value (0..1) of the left channel between two times (no numpy)."""
    peak = 0.0
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            if frame.time is not None and start <= frame.time < end:
                data = memoryview(bytes(frame.planes[0])).cast("f")
                peak = max(peak, max((abs(v) for v in data), default=0.0))
    return peak


def test_the_right_picture_shows_at_each_time(rendered):
    plan, _ = rendered
    frames = frames_at(plan.output, [0.25, 1.75, 2.25, 2.8, 3.25, 3.75, 4.9])
    assert close_to(frames[0.25].patch(), RED)
    assert close_to(frames[1.75].patch(), RED)
    r, g, b = frames[2.25].patch()  # mid-fade: red and green blended
    assert 60 < r < 200 and 60 < g < 200 and b < 60
    assert close_to(frames[2.8].patch(), GREEN)
    assert close_to(frames[3.25].patch(), BLACK, 20)  # the gap
    assert close_to(frames[3.75].patch(), YELLOW)
    assert close_to(frames[4.9].patch(), YELLOW)  # the 1 s clip holds its last frame


def test_cover_fills_the_canvas_with_a_dimmed_fill_of_a_portrait_photo(rendered):
    plan, _ = rendered
    frame = frames_at(plan.output, [2.8])[2.8]
    assert close_to(frame.patch(0.5, 0.5), GREEN)  # the photo, whole, in the middle
    for x in (0.05, 0.95):  # no black bars: the photo blurred and dimmed
        red, green, blue = frame.patch(x, 0.5)
        assert 100 < green < 230 and red < 40 and blue < 40


def test_the_title_changes_its_region_only_during_its_segment(rendered):
    plan, _ = rendered
    frames = frames_at(plan.output, [0.25, 1.0, 1.75])
    before, during, after = frames[0.25], frames[1.0], frames[1.75]
    assert during.difference(before, TOP_BAND) > 8
    assert after.difference(before, TOP_BAND) < 3
    assert during.difference(before, BOTTOM_BAND) < 3


def test_the_file_is_h264_yuv420p_with_aac_of_the_drafts_duration(rendered):
    plan, _ = rendered
    found = streams(plan.output)
    video, audio = found["video"], found["audio"]
    assert (video["codec"], video["pix_fmt"]) == ("h264", "yuv420p")
    assert (video["width"], video["height"]) == (320, 180)
    assert abs(video["duration"] - 5.0) <= 1 / 30 + 1e-6
    assert audio["codec"] == "aac" and audio["rate"] == 48000
    assert abs(audio["duration"] - 5.0) < 0.1


def test_music_plays_and_fades_out(rendered):
    plan, _ = rendered
    assert audio_level(plan.output, 3.0, 4.0) > 0.02  # the 1.5 s song loops under BGM
    assert audio_level(plan.output, 4.97, 5.0) < audio_level(plan.output, 4.0, 4.4)


def test_progress_is_monotonic_and_ends_at_one(rendered):
    _, progress = rendered
    assert progress and progress[-1] == 1.0
    assert progress == sorted(progress)
    assert all(0 <= p < 1 for p in progress[:-1])


def test_no_caption_or_partial_file_is_left(rendered):
    plan, _ = rendered
    assert sorted(p.name for p in plan.output.parent.iterdir()) == ["slideshow.mp4"]


def test_contain_letterboxes_and_a_silent_draft_still_has_aac(render, tmp_path):
    value = draft(
        [{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "green_portrait", "fit": "contain"}]}],
        m={"width": 320, "height": 180},
    )
    plan, _ = render(value, tmp_path / "contain.mp4")
    frame = frames_at(plan.output, [0.5])[0.5]
    assert close_to(frame.patch(0.5, 0.5), GREEN)
    assert close_to(frame.patch(0.05, 0.5), BLACK, 20)
    assert close_to(frame.patch(0.95, 0.5), BLACK, 20)
    audio = streams(plan.output)["audio"]
    assert audio["codec"] == "aac" and abs(audio["duration"] - 1.0) < 0.1
    assert audio_level(plan.output, 0.0, 1.0) == 0.0


def test_portrait_output_with_its_own_frame_rate(render, tmp_path):
    value = draft(
        [{"tt": 0, "sg": [{"s": 0, "d": 2010, "src": "red", "z": True}]}],
        m={"width": 180, "height": 320, "fps": 25},
    )
    plan, _ = render(value, tmp_path / "portrait.mp4")
    video = streams(plan.output)["video"]
    assert (video["width"], video["height"]) == (180, 320)
    assert abs(video["duration"] - 2.01) <= 1 / 25 + 1e-6
    frame = frames_at(plan.output, [1.0])[1.0]
    assert close_to(frame.patch(), RED)


def test_a_wipe_shows_both_pictures_mid_transition(render, tmp_path):
    value = draft(
        [{"tt": 0, "sg": [
            {"s": 0, "d": 1000, "src": "red", "tr": {"type": "wipeleft", "d": 1000}},
            {"s": 1000, "d": 1000, "src": "blue"},
        ]}],
        m={"width": 320, "height": 180},
    )  # fmt: skip
    plan, _ = render(value, tmp_path / "wipe.mp4")
    frame = frames_at(plan.output, [1.5])[1.5]
    assert close_to(frame.patch(0.15, 0.5), RED)  # the outgoing picture is wiped to the left
    assert close_to(frame.patch(0.85, 0.5), BLUE)


def test_a_later_video_track_covers_the_first_while_it_plays(render, tmp_path):
    value = draft(
        [
            {"tt": 0, "sg": [{"s": 0, "d": 3000, "src": "red"}]},
            {"tt": 0, "sg": [{"s": 1000, "d": 1000, "src": "blue"}]},
        ],
        m={"width": 320, "height": 180},
    )
    plan, _ = render(value, tmp_path / "overlay.mp4")
    frames = frames_at(plan.output, [0.5, 1.5, 2.5])
    assert close_to(frames[0.5].patch(), RED)
    assert close_to(frames[1.5].patch(), BLUE)
    assert close_to(frames[2.5].patch(), RED)


def test_awkward_text_renders_literally_even_in_an_awkward_folder(render, tmp_path):
    folder = tmp_path / "it's: a [folder], 100%; ok"
    value = draft(
        [
            {"tt": 0, "sg": [{"s": 0, "d": 2000, "src": "blue"}]},
            {"tt": 7, "sg": [{"s": 1000, "d": 1000, "tx": AWKWARD, "c": "#FFFF00"}]},
        ],
        m={"width": 320, "height": 180},
    )
    plan, _ = render(value, folder / "text.mp4")
    frames = frames_at(plan.output, [0.5, 1.5])
    assert frames[1.5].difference(frames[0.5], (0.05, 0.3, 0.95, 0.7)) > 5
    assert sorted(p.name for p in folder.iterdir()) == ["text.mp4"]


@pytest.mark.slow
def test_cancel_stops_promptly_and_leaves_nothing(resolve, tmp_path):
    value = draft(
        [{"tt": 0, "sg": [{"s": 0, "d": 600_000, "src": "yellow_clip", "loop": True}]}],
        m={"width": 640, "height": 360},
    )
    plan = plan_render(value, resolve, tmp_path / "long.mp4", quality="low")
    cancel = threading.Event()
    timer = threading.Timer(0.5, cancel.set)
    timer.start()
    started = time.monotonic()
    with pytest.raises(RenderCancelled):
        run_render(plan, cancel=cancel)
    assert time.monotonic() - started < 3
    assert list(tmp_path.iterdir()) == []


def test_a_time_limit_fails_the_render(resolve, tmp_path):
    value = draft([{"tt": 0, "sg": [{"s": 0, "d": 600_000, "src": "red"}]}])
    plan = plan_render(value, resolve, tmp_path / "slow.mp4", quality="low")
    with pytest.raises(RenderFailed, match="timed out"):
        run_render(plan, timeout=0.3)
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_input_fails_naming_its_source_never_its_path(resolve, media_dir, tmp_path):
    value = draft([{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "corrupt"}]}])
    plan = plan_render(value, resolve, tmp_path / "bad.mp4", quality="low")
    with pytest.raises(RenderFailed) as caught:
        run_render(plan)
    reason = caught.value.reason
    assert reason.startswith("ffmpeg failed on media 'corrupt': "), reason
    assert "Invalid data" in reason and len(reason) <= 700
    assert str(media_dir) not in reason and str(tmp_path) not in reason
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_every_sample_format_renders(samples, tmp_path):
    """Every valid sample (jpg/png/webp/gif, mp4/mov/webm/mkv/avi, mp3/wav/m4a/aac) plays."""
    pictures = [name for name, e in samples.expected.items() if e.kind != "audio"]
    songs = [name for name, e in samples.expected.items() if e.kind == "audio"]

    def resolve(src: str) -> ResolvedMedia:
        info = probe(samples.path(src))
        return ResolvedMedia(
            samples.path(src), info.kind, info.duration, info.width, info.height, info.has_audio
        )

    shots = [
        {"s": i * 300, "d": 300, "src": name, "ss": 100, "tr": {"type": "dissolve", "d": 100}}
        for i, name in enumerate(pictures)
    ]
    total = 300 * len(pictures)
    sounds = [{"s": i * 400, "d": 400, "src": name, "fi": 50} for i, name in enumerate(songs)]
    value = draft(
        [{"tt": 0, "sg": shots}, {"tt": 1, "sg": sounds}], d=total, m={"width": 160, "height": 90}
    )
    plan = plan_render(value, resolve, tmp_path / "all.mp4", quality="low")
    run_render(plan, timeout=60)
    info = probe(plan.output)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert abs((info.duration or 0) - total / 1000) <= 0.05


def test_a_missing_ffmpeg_binary_fails_the_render(resolve, tmp_path):
    value = draft([{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "red"}]}])
    plan = plan_render(value, resolve, tmp_path / "out.mp4", quality="low")
    with pytest.raises(RenderFailed, match="does not exist"):
        run_render(plan, ffmpeg=str(tmp_path / "no-ffmpeg"))
    assert list(tmp_path.iterdir()) == []
