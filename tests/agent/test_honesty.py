"""The honesty rule, held for every intent: a reply describes exactly the change made, or
asks, and never claims a change that did not happen.

Every example of every edit kind (English and Chinese) plus the requests of issue 17 that
were once answered with a claim of a change that never happened, each on several sessions
(a slideshow with a title, one with a voiceover, an empty timeline, a generated wedding
video), and each repeated on the session it produced.
"""

from __future__ import annotations

import re

import pytest

from nemo_mock.mock_server.agent.edits.registry import KINDS
from nemo_mock.mock_server.agent.plan import Plan, SessionView
from nemo_mock.mock_server.domain.drafts import Draft, DraftMeta, Segment, Track, TrackType
from tests.agent.conftest import after, assert_plan_well_formed, photos, run, song, venue_clip, view

WEDDING = (
    "create a 60-second wedding invitation video with our names, date, and romantic background "
    "music — Anna & Ben, June 5, 2027"
)
REQUESTS = (
    "set the title color to gold", "make the title bigger", "use a different font for the title",
    "add a fade out at the end", "speed up the second clip", "make it brighter", "add a sticker",
    "add subtitles", "move the title to the top", "make it look better", "blorp",
    "make the music louder", "remove the music", "add romantic music", "标题改成金色", "加字幕",
)  # fmt: skip
MESSAGES = tuple(dict.fromkeys([e for kind in KINDS for e in kind.examples] + list(REQUESTS)))
# A no-edit reply must not say it did something ("I've …", "已添加…"; "已经" is "already").
CLAIM = re.compile(r"\bI've\b|\bI have\b|\bI (?:added|moved|set|changed|removed)\b|已(?!经)")
# Words of a step's text that name an operation, and the operations they may describe.
NAMED: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\bmoved\b|移到"), ("move_title", "reorder")),
    (re.compile(r"\brestyled\b|样式"), ("style_text",)),
    (re.compile(r"\btrimmed\b|\bcut\b.*\boff\b|剪到|剪掉"), ("trim",)),
    (re.compile(r"\bsplit\b|分割"), ("split",)),
    (re.compile(r"x speed\b|倍速"), ("set_speed",)),
    (re.compile(r"\bsticker\b|贴纸"), ("add_sticker",)),
    (re.compile(r"\bsubtitles\b"), ("add_subtitles",)),
    (re.compile(r"\bfade-(?:in|out)\b"), ("fade",)),
    (re.compile(r"\bfilter\b|\bbrightness\b|\bcontrast\b|滤镜|亮度"), ("adjust_colour",)),
)  # fmt: skip


def _slideshow(voice: bool) -> Draft:
    ups = [*photos(5), venue_clip()]
    segments = [Segment(start=i * 2400, duration=2400, src=u.file_id, name=u.filename)
                for i, u in enumerate(ups[:5])]  # fmt: skip
    segments.append(Segment(start=12_000, duration=3000, src=ups[5].file_id, name="venue.mp4"))
    tracks = [Track(type=TrackType.VIDEO, name="Video", segments=segments)]
    if voice:
        seg = Segment(start=0, duration=15_000, src="gen_voice", name="Voiceover")
        tracks.append(Track(type=TrackType.AUDIO, name="Voiceover", segments=[seg]))
    title = Segment(start=0, duration=3000, text="Anna & Ben", name="Title", font_size=90)
    tracks.append(Track(type=TrackType.TEXT, name="Title", segments=[title]))
    return Draft(tracks=tracks, duration=15_000, meta=DraftMeta(width=1920, height=1080))


def _sessions() -> dict[str, SessionView]:
    ups = [*photos(5), venue_clip(), song()]
    voice = {"id": "gen_voice", "kind": "voiceover", "prompt": "Hello there. Welcome to our day."}
    wedding = view(ups)
    return {
        "slideshow": view(ups, _slideshow(False)),
        "narrated": view(ups, _slideshow(True), generated=(voice,)),
        "empty": view(ups),
        "wedding": after(run(WEDDING, wedding), wedding),
    }


SESSIONS = _sessions()


def _check(plan: Plan, before: Draft) -> None:
    assert_plan_well_formed(plan)
    if not plan.steps:
        assert not CLAIM.search(plan.reply), plan.reply
        return
    previous = before
    for step in plan.steps:
        assert step.draft != previous, f"{step.text!r} but the draft did not change"
        previous = step.draft
        if step.kind != "edit":
            continue
        operation = str(step.args.get("operation", ""))
        for pattern, operations in NAMED:
            if pattern.search(step.text) and step.text.count(".") <= 2:
                assert operation in operations, f"{step.text!r} describes {operation}"


@pytest.mark.parametrize("session", sorted(SESSIONS))
@pytest.mark.parametrize("message", MESSAGES)
def test_a_reply_describes_the_change_made_or_asks(session: str, message: str) -> None:
    start = SESSIONS[session]
    plan = run(message, start)
    _check(plan, start.draft)
    again = run(message, after(plan, start))  # the same request on the result
    _check(again, after(plan, start).draft)
