"""The agent's new edits, rendered: its draft keys reach the picture (issue 17 item 6).

A two-photo slideshow with a title is edited in turn ("set the title color to gold", "make
it black and white", "add a heart sticker", "add a fade out at the end") by the real agent,
and the final draft is rendered and measured.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nemo_mock.mock_server.agent import SessionView, plan_turn
from nemo_mock.mock_server.domain.drafts import Draft, DraftMeta, Segment, Track, TrackType
from nemo_mock.mock_server.render import ResolvedMedia, plan_render, run_render

from .helpers import frames_at

pytestmark = pytest.mark.ffmpeg

EDITS = (
    "set the title color to gold",
    "make it black and white",
    "add a heart sticker",
    "add a fade out at the end",
)


def _session() -> SessionView:
    video = [Segment(start=i * 1500, duration=1500, src=f"f_{i:016x}", name=f"p{i}.jpg")
             for i in range(2)]  # fmt: skip
    title = Segment(start=0, duration=3000, text="Anna & Ben", name="Title", font_size=40,
                    color="#FFFFFF", position="center")  # fmt: skip
    draft = Draft(
        tracks=[
            Track(type=TrackType.VIDEO, name="Video", segments=video),
            Track(type=TrackType.TEXT, name="Title", segments=[title]),
        ],
        duration=3000,
        meta=DraftMeta(width=320, height=180, fps=25),
    )
    return SessionView(draft, (), (320, 180), "en", ())


def test_the_agents_edits_show_in_the_rendered_file(media_dir: Path, tmp_path: Path) -> None:
    session = _session()
    for message in EDITS:
        plan = plan_turn(message, session, random.Random(1))
        assert plan.steps, (message, plan.reply)
        last = plan.steps[-1]
        session = SessionView(last.draft, (), last.canvas, "en", ())
    red = ResolvedMedia(media_dir / "red.jpg", "image", None, 640, 360, False)
    out = tmp_path / "edited.mp4"
    run_render(plan_render(session.draft, lambda src: red, out, quality="low"), timeout=60)
    frames = frames_at(out, [1.0, 2.98])
    middle, end = frames[1.0], frames[2.98]
    r, g, b = middle.patch(0.5, 0.85, 0.05)  # the photo's red body, away from the title
    assert max(r, g, b) - min(r, g, b) < 16  # black and white
    pixels = list(middle._pixels((0.1, 0.35, 0.9, 0.65)))
    assert sum(1 for p in pixels if p[0] > 200 and 170 < p[1] < 240 and p[2] < 90) > 50  # gold
    corner = list(middle._pixels((0.7, 0.0, 1.0, 0.45)))
    assert sum(1 for p in corner if p[0] > 200 and p[1] < 120) > 50  # the heart, in colour
    assert max(end.patch(0.5, 0.85, 0.05)) < 40  # faded to black at the end
