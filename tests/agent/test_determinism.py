"""Same inputs, same plan; and no message, however odd, breaks the engine or a draft."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nemo_mock.mock_server.agent import SessionView, plan_turn
from nemo_mock.mock_server.agent.steps import prompt_seed
from nemo_mock.mock_server.domain.drafts import Draft, DraftMeta, Segment, Track, TrackType
from tests.agent.conftest import (
    after,
    assert_plan_well_formed,
    photos,
    run,
    song,
    venue_clip,
    view,
)

SCRIPT = (
    Path(__file__).parents[2] / "fixtures" / "prompts" / "promo_script_300_words.txt"
).read_text(encoding="utf-8")
WEDDING = (
    "create a 60-second wedding invitation video with our names, date, and romantic "
    "background music — Anna & Ben, June 5, 2027"
)


def _odd_draft() -> Draft:
    """A valid draft the agent would not write: gaps, overlaps, unknown sources, no names."""
    texts = [
        Segment(start=0, duration=9000, text="overlap"),
        Segment(start=1000, duration=500, text="x"),
    ]
    video = [
        Segment(start=500, duration=4000, src="https://x/y.mp4"),
        Segment(start=6000, duration=3000, src="gen_zz"),
    ]
    audio = [Segment(start=2000, duration=1000, src="bgm_nope", volume=150)]
    tracks = [
        Track(type=TrackType.TEXT, segments=texts),
        Track(type=TrackType.VIDEO, segments=video),
        Track(type=TrackType.AUDIO, segments=audio),
        Track(type=TrackType.VIDEO, name="B-roll", segments=[]),
    ]
    return Draft(tracks=tracks, duration=9000, meta=DraftMeta())


def _views() -> list[SessionView]:
    uploads = [*photos(5), venue_clip(), song()]
    base = view(uploads)
    text_only = after(run("make me a 10-second sunset timelapse video", view()), view())
    return [
        view(),
        base,
        after(run(WEDDING, base), base),
        text_only,
        after(run(SCRIPT, view()), view()),
        view(uploads, _odd_draft(), canvas=(1080, 1920), language="zh-CN"),
        view([venue_clip(1, 0.05)], canvas=(720, 1280)),
    ]


VIEWS = _views()
ODD = 5  # the view whose draft has gaps to begin with
FRAGMENTS = [
    "add",
    "remove",
    "the",
    "music",
    "title",
    "'Golden Hour'",
    "「新年快乐」",
    "make it",
    "30 seconds",
    "each photo",
    "3 s",
    "portrait",
    "square",
    "720p",
    "swap",
    "the first two",
    "move",
    "last photo",
    "to the start",
    "second clip",
    "louder",
    "quieter",
    "50%",
    "transitions",
    "dissolve",
    "at the end",
    "for 5 seconds",
    "Anna & Ben",
    "June 5, 2027",
    "lo-fi",
    "romantic",
    "use my song",
    "create a",
    "video",
    "from my photos",
    "with music",
    "and",
    "then",
    "生成一个",
    "视频",
    "添加",
    "背景音乐",
    "删除",
    "改成竖屏",
    "一分钟",
    "第二个",
    "export",
    "credits",
    "0 seconds",
    "999 minutes",
    "reverse the order",
    "mute the clips",
    "voiceover",
    "script",
    "at 500s",
    "position 99",
    "100000%",
]
messages = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=10).map(" ".join),
    st.tuples(st.lists(st.sampled_from(FRAGMENTS), max_size=6), st.text(max_size=30)).map(
        lambda pair: " ".join([*pair[0], pair[1]])
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(message=messages, which=st.integers(0, len(VIEWS) - 1), seed=st.integers(0, 2**32))
def test_never_raises_and_every_draft_validates(message, which, seed):
    plan = plan_turn(message, VIEWS[which], random.Random(seed))
    assert_plan_well_formed(plan, packed=which != ODD)


@pytest.mark.parametrize("which", range(len(VIEWS)))
@pytest.mark.parametrize(
    "message",
    [WEDDING, SCRIPT, "make me a 10-second sunset timelapse video", "add lo-fi background music",
     "make it 30 seconds", "生成一个30秒的视频", "blorp"],
)  # fmt: skip
def test_same_inputs_same_plan(message, which):
    first = plan_turn(message, VIEWS[which], random.Random(42))
    second = plan_turn(message, VIEWS[which], random.Random(42))
    assert first == second
    assert_plan_well_formed(first, packed=which != ODD)


def test_the_rng_only_names_synthesised_media():
    a = plan_turn("make me a 10-second sunset timelapse video", view(), random.Random(1))
    b = plan_turn("make me a 10-second sunset timelapse video", view(), random.Random(2))
    assert a.steps[0].media[0].media_id != b.steps[0].media[0].media_id
    # a clip's seed is its prompt's: the same prompt makes the same clip (synthesised once)
    assert a.steps[0].media[0].seed == b.steps[0].media[0].seed
    assert a.steps[0].media[0].seed == prompt_seed(a.steps[0].media[0].prompt)
    strip = lambda plan: [s.draft.to_wire()["t"][0]["sg"][0]["d"] for s in plan.steps]  # noqa: E731
    assert strip(a) == strip(b)


def test_edits_do_not_use_the_rng():
    rng = random.Random(5)
    state = rng.getstate()
    plan_turn("add lo-fi background music", VIEWS[2], rng)
    assert rng.getstate() == state


def test_very_long_messages_are_bounded():
    plan = plan_turn("add a title '" + "x" * 50_000 + "'", VIEWS[2], random.Random(0))
    assert_plan_well_formed(plan)
