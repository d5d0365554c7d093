"""plan_render: pure, refuses what it cannot render, and builds the documented command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nemo_mock.mock_server.render import (
    QUALITY_SETTINGS,
    MissingMedia,
    RenderError,
    ResolvedMedia,
    plan_render,
)

from .helpers import draft

AWKWARD = 'It\'s "50%" off: C:\\path\\ {x} \\n\n新年快乐'


def fake_resolver(calls: list[str] | None = None):
    """Media that does not exist on disk: planning must not need to touch it."""

    def resolve(src: str) -> ResolvedMedia:
        if calls is not None:
            calls.append(src)
        if src.startswith("missing"):
            raise MissingMedia(src)
        if src.startswith("song"):
            return ResolvedMedia(Path(f"/nowhere/{src}.mp3"), "audio", 3.0, None, None, True)
        if src.startswith("clip"):
            return ResolvedMedia(Path(f"/nowhere/{src}.mp4"), "video", 2.0, 640, 360, True)
        return ResolvedMedia(Path(f"/nowhere/{src}.jpg"), "image", None, 640, 360, False)

    return resolve


def slideshow():
    return draft(
        [
            {"tt": 0, "sg": [
                {"s": 0, "d": 1000, "src": "a", "tr": {"type": "wipeleft", "d": 300}},
                {"s": 1000, "d": 1000, "src": "clip", "ss": 500},
            ]},
            {"tt": 1, "n": "BGM", "sg": [{"s": 0, "d": 2000, "src": "song"}]},
            {"tt": 7, "sg": [{"s": 0, "d": 1000, "tx": AWKWARD}]},
        ],
        m={"width": 320, "height": 180},
    )  # fmt: skip


def snapshot(folder: Path) -> set[str]:
    return {str(p) for p in folder.rglob("*")}


def test_planning_creates_no_file(tmp_path):
    before = snapshot(tmp_path)
    cwd = Path.cwd()
    cwd_before = set(os.listdir(cwd))
    plan = plan_render(slideshow(), fake_resolver(), tmp_path / "out" / "video.mp4")
    assert snapshot(tmp_path) == before
    assert set(os.listdir(cwd)) == cwd_before
    assert not plan.output.parent.exists()


def test_the_plan_describes_the_output(tmp_path):
    output = tmp_path / "video.mp4"
    plan = plan_render(slideshow(), fake_resolver(), output, quality="medium")
    assert (plan.width, plan.height, plan.fps, plan.duration_ms) == (320, 180, 30, 2000)
    assert plan.output == output
    assert plan.args[-1] == str(output)
    args = " ".join(plan.args)
    settings = QUALITY_SETTINGS["medium"]
    for expected in (
        "-c:v libx264",
        f"-preset {settings['preset']}",
        f"-crf {settings['crf']}",
        "-pix_fmt yuv420p",
        "-c:a aac",
        "-movflags +faststart",
        "-t 2.000",
        "-f mp4",
    ):
        assert expected in args
    assert "-filter_complex" in plan.args
    assert "xfade" in args and "transition=wipeleft" in args and "drawtext" in args


def test_text_goes_through_files_literally(tmp_path):
    plan = plan_render(slideshow(), fake_resolver(), tmp_path / "video.mp4")
    assert list(plan.text_files.values()) == [AWKWARD]
    (path,) = plan.text_files
    assert path.parent == tmp_path
    graph = plan.args[plan.args.index("-filter_complex") + 1]
    assert "50%" not in graph and "新年" not in graph
    assert "expansion=none" in graph


def test_every_src_is_resolved_while_planning():
    calls: list[str] = []
    plan_render(slideshow(), fake_resolver(calls), Path("/tmp/never-written.mp4"))
    assert sorted(calls) == ["a", "clip", "song"]


def test_missing_media_is_raised_by_planning_and_names_the_src(tmp_path):
    value = draft([{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "missing_photo"}]}])
    with pytest.raises(MissingMedia) as caught:
        plan_render(value, fake_resolver(), tmp_path / "video.mp4")
    assert caught.value.src == "missing_photo"
    assert "missing_photo" in caught.value.reason
    assert snapshot(tmp_path) == set()


@pytest.mark.parametrize(
    "value",
    [
        draft([], d=0),
        draft([], d=5000),
        draft([{"tt": 0, "sg": []}], d=5000),
    ],
)
def test_a_draft_with_nothing_to_render_is_refused(value, tmp_path):
    with pytest.raises(RenderError, match="nothing to render"):
        plan_render(value, fake_resolver(), tmp_path / "video.mp4")


def test_audio_on_a_video_track_is_refused(tmp_path):
    value = draft([{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "song"}]}])
    with pytest.raises(RenderError, match=r"t\[0\]\.sg\[0\]"):
        plan_render(value, fake_resolver(), tmp_path / "video.mp4")


def test_a_picture_on_an_audio_track_is_refused(tmp_path):
    value = draft([{"tt": 1, "sg": [{"s": 0, "d": 1000, "src": "photo"}]}])
    with pytest.raises(RenderError, match="no sound"):
        plan_render(value, fake_resolver(), tmp_path / "video.mp4")


def test_the_same_file_twice_gets_two_inputs(tmp_path):
    value = draft([{"tt": 0, "sg": [
        {"s": 0, "d": 1000, "src": "a"}, {"s": 2000, "d": 1000, "src": "a"},
    ]}])  # fmt: skip
    plan = plan_render(value, fake_resolver(), tmp_path / "video.mp4")
    assert plan.args.count("/nowhere/a.jpg") == 2


@pytest.mark.parametrize("quality", ["high", "medium", "low"])
def test_each_quality_has_documented_settings(quality):
    settings = QUALITY_SETTINGS[quality]
    assert {"preset", "crf", "b:a"} <= set(settings) <= {"preset", "crf", "b:a", "threads"}
    import nemo_mock.mock_server.render.quality as module

    assert settings["preset"] in (module.__doc__ or "")
