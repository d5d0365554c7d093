"""The timeline layout: black gaps, cuts at overlaps, transition tails, audio defaults."""

from __future__ import annotations

from pathlib import Path

from nemo_mock.mock_server.render.layout import build_timeline
from nemo_mock.mock_server.render.media import ResolvedMedia

from .helpers import draft


def resolve(src: str) -> ResolvedMedia:
    if src.startswith("song") or src.startswith("bgm_"):
        return ResolvedMedia(Path(f"/x/{src}.mp3"), "audio", 10.0, None, None, True)
    return ResolvedMedia(Path(f"/x/{src}.jpg"), "image", None, 640, 360, False)


def layout(tracks, **top):
    return build_timeline(draft(tracks, **top), resolve, (320, 180), 30)


def test_gaps_before_between_and_after_are_black():
    tl = layout([{"tt": 0, "sg": [
        {"s": 500, "d": 1000, "src": "a"}, {"s": 2000, "d": 500, "src": "b"},
    ]}], d=3000)  # fmt: skip
    shots = tl.base.shots
    assert [(s.media is None, s.start_frame, s.frames) for s in shots] == [
        (True, 0, 15),
        (False, 15, 30),
        (True, 45, 15),
        (False, 60, 15),
        (True, 75, 15),
    ]
    assert tl.base.frames == tl.total_frames == 90


def test_an_overlapping_segment_cuts_the_previous_one():
    tl = layout([{"tt": 0, "sg": [
        {"s": 0, "d": 2000, "src": "a"}, {"s": 1000, "d": 1000, "src": "b"},
    ]}])  # fmt: skip
    assert [(s.media.path.stem, s.frames) for s in tl.base.shots if s.media] == [
        ("a", 30),
        ("b", 30),
    ]


def test_a_transition_plays_the_outgoing_shot_under_the_next_one():
    tl = layout([{"tt": 0, "sg": [
        {"s": 0, "d": 1000, "src": "a", "tr": {"type": "fade", "d": 500}},
        {"s": 1000, "d": 1000, "src": "b", "tr": {"type": "fade", "d": 500}},
    ]}])  # fmt: skip
    first, second = tl.base.shots
    assert (first.frames, first.tail, first.transition) == (30, 15, "fade")
    assert (second.frames, second.tail) == (30, 0)  # nothing follows: dropped
    assert tl.base.frames == 60


def test_a_transition_is_shortened_to_the_next_piece_and_can_fade_to_black():
    tl = layout([{"tt": 0, "sg": [
        {"s": 0, "d": 1000, "src": "a", "tr": {"type": "fade", "d": 2000}},
    ]}], d=1200)  # fmt: skip
    shot, black = tl.base.shots
    assert black.media is None and black.frames == 6
    assert shot.tail == 6


def test_later_video_tracks_become_runs_over_the_base():
    tl = layout([
        {"tt": 0, "sg": [{"s": 0, "d": 3000, "src": "a"}]},
        {"tt": 0, "sg": [
            {"s": 500, "d": 500, "src": "b"}, {"s": 1000, "d": 500, "src": "c"},
            {"s": 2000, "d": 500, "src": "d"},
        ]},
    ])  # fmt: skip
    assert [(run.start_frame, run.frames, len(run.shots)) for run in tl.overlays] == [
        (15, 30, 2),
        (60, 15, 1),
    ]


def test_music_defaults_to_35_percent_and_loops_voiceover_to_full_volume():
    tl = layout([
        {"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "a"}]},
        {"tt": 1, "n": "BGM", "sg": [{"s": 0, "d": 1000, "src": "song"}]},
        {"tt": 1, "sg": [{"s": 0, "d": 1000, "src": "bgm_lofi"}]},
        {"tt": 1, "n": "Voiceover", "sg": [{"s": 0, "d": 1000, "src": "song", "v": 80}]},
        {"tt": 1, "sg": [{"s": 0, "d": 1000, "src": "song", "n": "BGM", "loop": False}]},
    ])  # fmt: skip
    assert [(s.volume, s.loop) for s in tl.sounds] == [
        (0.35, True),
        (0.35, True),
        (0.8, False),
        (0.35, False),
    ]


def test_captions_snap_to_frames_and_default_to_the_centre():
    tl = layout([
        {"tt": 0, "sg": [{"s": 0, "d": 2000, "src": "a"}]},
        {"tt": 7, "sg": [{"s": 510, "d": 1000, "tx": "Hi", "fi": 200}]},
    ])  # fmt: skip
    (caption,) = tl.captions
    assert caption.position == "center"
    assert (caption.start, caption.end, caption.fade_in) == (0.5, 1.5, 0.2)
