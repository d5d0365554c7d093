"""Style, fades, speed, colour, stickers, subtitles, trim and split: English and Chinese.

Each test checks the draft keys the render draws (tests/render/test_look.py measures those
in pixels and sound) and that the reply names what changed.
"""

from __future__ import annotations

import itertools

import pytest

from nemo_mock.mock_server.agent.plan import Plan, SessionView
from nemo_mock.mock_server.domain.drafts import Draft, DraftMeta, Segment, Track, TrackType
from tests.agent.conftest import (
    after,
    assert_plan_well_formed,
    photos,
    run,
    song,
    venue_clip,
    video_segments,
    view,
)


def _draft(with_title: bool = True, voiceover: bool = False) -> Draft:
    ups = [*photos(5), venue_clip()]
    segments = [
        Segment(start=i * 2400, duration=2400, src=u.file_id, name=u.filename)
        for i, u in enumerate(ups[:5])
    ]
    segments.append(Segment(start=12_000, duration=3000, src=ups[5].file_id, name="venue_clip.mp4"))
    tracks = [Track(type=TrackType.VIDEO, name="Video", segments=segments)]
    if voiceover:
        voice = Segment(start=0, duration=15_000, src="gen_voice", name="Voiceover", volume=100)
        tracks.append(Track(type=TrackType.AUDIO, name="Voiceover", segments=[voice]))
    if with_title:
        title = Segment(start=0, duration=3000, text="Anna & Ben", name="Title", position="center",
                        font_size=97, color="#FFFFFF")  # fmt: skip
        tracks.append(Track(type=TrackType.TEXT, name="Title", segments=[title]))
    meta = DraftMeta(title="Anna & Ben", width=1920, height=1080, fps=30)
    return Draft(tracks=tracks, duration=15_000, meta=meta)


VOICE_TEXT = (
    "Meet the new Aurora lamp. It lights your desk in seconds, with three warm tones to choose "
    "from. Order today and get free shipping."
)
VOICE_ENTRY = {"id": "gen_voice", "kind": "voiceover", "prompt": VOICE_TEXT, "seconds": 15.0}


@pytest.fixture
def plain() -> SessionView:
    return view([*photos(5), venue_clip(), song()], _draft())


@pytest.fixture
def narrated() -> SessionView:
    return view([*photos(5), venue_clip()], _draft(voiceover=True), generated=(VOICE_ENTRY,))


def edit(message: str, session: SessionView, language: str | None = None) -> Plan:
    if language:
        session = SessionView(session.draft, session.uploads, session.canvas, language,
                              session.generated)  # fmt: skip
    plan = run(message, session)
    assert_plan_well_formed(plan)
    return plan


def title_of(draft: Draft) -> Segment:
    return next(t for t in draft.tracks if t.name == "Title").segments[0]


def text_of(plan: Plan) -> str:
    return " ".join(s.text for s in plan.steps) or plan.reply


# --------------------------------------------------------------------------- style


@pytest.mark.parametrize(
    ("message", "field", "value", "said"),
    [
        ("set the title color to gold", "color", "#FFD700", "gold"),
        ("标题改成金色", "color", "#FFD700", "金色"),
        ("make the title bigger", "font_size", 126, "97→126"),
        ("标题大一点", "font_size", 126, "97→126"),
        ("use a different font for the title", "font", "serif", "serif"),
        ("make the title bold", "bold", True, "bold"),
        ("标题加粗", "bold", True, "加粗"),
        ("add a shadow to the title", "shadow", True, "shadow"),
        ("make the title red at the top", "color", "#FF3B30", "red"),
        ("make the title red at the top", "position", "top", "top"),
    ],
)
def test_text_style(plain, message, field, value, said):
    plan = edit(message, plain)
    assert plan.intent == "style"
    assert getattr(title_of(plan.final_draft), field) == value
    assert said in plan.steps[-1].text
    assert "moved" not in plan.steps[-1].text


def test_a_style_already_set_changes_nothing_and_says_so(plain):
    first = edit("set the title color to gold", plain)
    again = edit("set the title color to gold", after(first, plain))
    assert not again.steps
    assert "already" in again.reply


def test_a_serif_font_is_refused_for_chinese_text_and_the_reply_asks(plain):
    plan = edit("标题加粗", plain)
    zh = after(plan, plain)
    title = title_of(zh.draft)
    chinese = Segment.model_validate({**title.model_dump(), "text": "新年快乐"})
    retitled = Track(type=TrackType.TEXT, name="Title", segments=[chinese])
    tracks = [t if t.name != "Title" else retitled for t in zh.draft.tracks]
    session = SessionView(Draft(tracks=tracks, duration=15_000, meta=zh.draft.meta), zh.uploads,
                          zh.canvas, None, ())  # fmt: skip
    refused = edit("use a serif font for the title", session)
    assert not refused.steps
    assert "Chinese" in refused.reply and refused.reply.endswith("?")


def test_styling_a_title_that_does_not_exist_asks_for_it():
    plan = edit("set the title color to gold", view([*photos(5)], _draft(with_title=False)))
    assert not plan.steps and plan.reply.endswith("?")


def test_a_new_title_with_a_colour_is_added_then_styled(plain):
    plan = edit("add a title 'See you there' in gold", plain)
    assert title_of(plan.final_draft).text == "See you there"
    assert title_of(plan.final_draft).color == "#FFD700"


# --------------------------------------------------------------------------- fades


@pytest.mark.parametrize(
    ("message", "lang", "target", "fi", "fo"),
    [
        ("add a fade out at the end", None, "video", None, 1000),
        ("fade in the video", None, "video", 1000, None),
        ("视频结尾淡出", None, "video", None, 1000),
        ("fade the video in and out over 2 seconds", None, "video", 1200, 1500),
    ],
)
def test_video_fades(plain, message, lang, target, fi, fo):
    plan = edit(message, plain, lang)
    segments = video_segments(plan.final_draft)
    assert segments[0].fade_in == fi
    assert segments[-1].fade_out == fo
    assert "fade" in plan.steps[-1].text or "淡" in plan.steps[-1].text


def test_music_fades_and_no_music_to_fade_asks(plain):
    with_music = after(edit("add romantic music", plain), plain)
    plan = edit("fade out the music over 3 seconds", with_music)
    bgm = next(t for t in plan.final_draft.tracks if t.name == "BGM").segments[0]
    assert bgm.fade_out == 3000
    assert "3-second fade-out" in plan.steps[-1].text
    asked = edit("背景音乐淡入", plain)
    assert not asked.steps and asked.reply.endswith("？")


# --------------------------------------------------------------------------- speed


@pytest.mark.parametrize(
    ("message", "speed", "duration"),
    [
        ("speed up the clip", 1.5, 2000),
        ("play the clip at 2x speed", 2.0, 1500),
        ("slow down the clip to half speed", 0.5, 6000),
        ("视频片段加速", 1.5, 2000),
    ],
)
def test_clip_speed(plain, message, speed, duration):
    plan = edit(message, plain)
    clip = video_segments(plan.final_draft)[-1]
    assert clip.speed == speed and clip.duration == duration
    assert plan.final_draft.duration == 12_000 + duration
    assert f"{speed:g}" in plan.steps[-1].text


def test_speeding_up_the_whole_slideshow_shortens_the_photos_too(plain):
    plan = edit("speed up the video 2x", plain)
    segments = video_segments(plan.final_draft)
    assert [s.duration for s in segments] == [1200] * 5 + [1500]
    assert segments[0].speed is None and segments[-1].speed == 2.0


# --------------------------------------------------------------------------- colour


@pytest.mark.parametrize(
    ("message", "field", "value", "which"),
    [
        ("make it brighter", "brightness", 25, "all"),
        ("调亮一点", "brightness", 25, "all"),
        ("increase the contrast", "contrast", 25, "all"),
        ("make the second photo black and white", "look", "bw", 1),
        ("add a warm filter", "look", "warm", "all"),
        ("把视频变成黑白", "look", "bw", "all"),
        ("give it a cool tone", "look", "cool", "all"),
        ("make the colours more vivid", "saturation", 30, "all"),
    ],
)
def test_colour_adjustments(plain, message, field, value, which):
    plan = edit(message, plain)
    segments = video_segments(plan.final_draft)
    chosen = range(len(segments)) if which == "all" else [which]
    assert all(getattr(segments[i], field) == value for i in chosen)
    assert all(getattr(s, field) is None for i, s in enumerate(segments) if i not in chosen)


def test_removing_the_filter_restores_the_colours(plain):
    filtered = after(edit("make it black and white", plain), plain)
    plan = edit("remove the filter", filtered)
    assert all(s.look is None for s in video_segments(plan.final_draft))
    assert "original colours" in plan.steps[-1].text


# --------------------------------------------------------------------------- stickers


def test_a_heart_sticker_in_a_corner(plain):
    plan = edit("add a heart sticker in the top left", plain)
    sticker = next(t for t in plan.final_draft.tracks if t.name == "Stickers").segments[0]
    assert (sticker.text, sticker.position, sticker.align) == ("♥", "top", "left")
    assert "heart" in plan.steps[-1].text and "top left" in plan.steps[-1].text


def test_a_chinese_star_sticker_and_an_unknown_one_is_asked_about(plain):
    plan = edit("加个星星贴纸", plain)
    assert next(t for t in plan.final_draft.tracks if t.name == "Stickers").segments[0].text == "★"
    asked = edit("add a cat sticker", plain)
    assert not asked.steps and "heart" in asked.reply and asked.reply.endswith("?")


# --------------------------------------------------------------------------- subtitles


@pytest.mark.parametrize("message", ["add subtitles", "加字幕"])
def test_subtitles_follow_the_voiceover(narrated, message):
    plan = edit(message, narrated)
    cues = next(t for t in plan.final_draft.tracks if t.name == "Subtitles").segments
    assert " ".join(c.text for c in cues) == VOICE_TEXT
    assert len(cues) == 3  # one per sentence
    assert cues[0].start == 0 and cues[-1].end == 15_000
    assert all(a.end == b.start for a, b in itertools.pairwise(cues))
    assert str(len(cues)) in plan.steps[-1].text


def test_subtitles_without_a_voiceover_ask_for_the_words(plain):
    plan = edit("add subtitles", plain)
    assert not plan.steps and plan.reply.endswith("?")


# --------------------------------------------------------------------------- trim, split


def test_trim_a_clip_to_a_length_and_off_its_start(plain):
    plan = edit("trim the clip to 2 seconds", plain)
    assert video_segments(plan.final_draft)[-1].duration == 2000
    assert plan.final_draft.duration == 14_000
    cut = edit("cut 1 second off the start of the clip", plain)
    clip = video_segments(cut.final_draft)[-1]
    assert (clip.duration, clip.source_in) == (2000, 1000)
    zh = edit("把第一张照片剪到1秒", plain)
    assert video_segments(zh.final_draft)[0].duration == 1000


def test_split_a_clip_and_the_video_at_a_time(plain):
    plan = edit("split the clip at 1 second", plain)
    parts = video_segments(plan.final_draft)[-2:]
    assert [(p.duration, p.source_in or 0) for p in parts] == [(1000, 0), (2000, 1000)]
    assert plan.final_draft.duration == 15_000
    at = edit("split the video at 5 seconds", plain)
    assert [s.duration for s in video_segments(at.final_draft)][:4] == [2400, 2400, 200, 2200]
    zh = edit("把第二张照片在1秒处分割", plain)
    assert [s.duration for s in video_segments(zh.final_draft)][1:3] == [1000, 1400]
