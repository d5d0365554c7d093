import pytest
from hypothesis import given
from hypothesis import strategies as st

from nemo_mock.mock_server.domain.drafts import Draft, TrackType, parse_draft
from nemo_mock.mock_server.domain.errors import InvalidDraft

GOLDEN_HOUR = {
    "t": [
        {"tt": 0, "sg": [{"s": 0, "d": 10000, "src": "f_1", "n": "city timelapse"}]},
        {
            "tt": 1,
            "n": "Lo-fi",
            "sg": [{"s": 0, "d": 10000, "src": "bgm_lofi", "n": "Lo-fi", "v": 35}],
        },
        {"tt": 7, "sg": [{"s": 0, "d": 3000, "tx": "Urban Dreams", "pos": "center"}]},
    ],
    "d": 10000,
    "m": {"title": "Urban Dreams", "width": 1920, "height": 1080},
}


def test_short_keys_round_trip_and_read_as_long_names():
    draft = parse_draft(GOLDEN_HOUR)
    assert draft.tracks[0].type is TrackType.VIDEO
    assert draft.tracks[1].segments[0].volume == 35
    assert draft.tracks[2].segments[0].text == "Urban Dreams"
    assert draft.to_wire() == GOLDEN_HOUR


def test_unknown_keys_survive_a_round_trip():
    raw = {**GOLDEN_HOUR, "extra": {"k": 1}}
    raw["t"] = [{**GOLDEN_HOUR["t"][0], "fx": "sparkle"}]
    wire = parse_draft(raw).to_wire()
    assert wire["extra"] == {"k": 1} and wire["t"][0]["fx"] == "sparkle"


def test_summary_reads_like_the_documented_one():
    assert parse_draft(GOLDEN_HOUR).summary() == (
        "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) "
        '3. Title: "Urban Dreams" (0-3s)'
    )


def test_export_ready_needs_a_segment():
    assert parse_draft(GOLDEN_HOUR).export_ready
    assert not parse_draft({"t": []}).export_ready
    assert not parse_draft({"t": [{"tt": 0, "sg": []}]}).export_ready


def test_duration_defaults_to_the_last_segment_end():
    draft = parse_draft({"t": [{"tt": 7, "sg": [{"s": 1000, "d": 2500, "tx": "hi"}]}]})
    assert draft.duration == 3500


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"t": "x"}, "draft.t: Input should be a valid list"),
        ({"t": 5}, "draft.t: Input should be a valid list"),  # was a 500 (no d)
        ({"t": True}, "draft.t: Input should be a valid list"),
        ({"t": [{"tt": 0, "sg": 7}]}, "draft.t[0].sg: Input should be a valid list"),
        ({"t": [{"tt": 0, "sg": False}]}, "draft.t[0].sg: Input should be a valid list"),
        ({"t": [{"tt": 3, "sg": []}]}, "draft.t[0].tt: Input should be 0, 1 or 7"),
        ({"t": [{"tt": 0, "sg": [{"s": 0, "d": 0, "src": "a"}]}]}, "draft.t[0].sg[0].d"),
        ({"t": [{"tt": 0, "sg": [{"s": 0, "d": 5}]}]}, "a video segment needs 'src'"),
        ({"t": [{"tt": 7, "sg": [{"s": 0, "d": 5, "tx": "  "}]}]}, "needs non-empty 'tx'"),
        (
            {"t": [{"tt": 7, "sg": [{"s": 0, "d": 5000, "tx": "a"}]}], "d": 1000},
            "t[0].sg[0] ends at 5000 ms, after the draft's duration d=1000 ms",
        ),
        ({"t": [], "d": 10**9}, "draft.d: Input should be less than or equal to 900000"),
        ({"t": [], "m": {"width": 3840, "height": 2160}}, "draft.m.width"),
        ({"t": [], "m": {"width": 1920, "height": 1920}}, "larger than 1920x1080 or 1080x1920"),
        ({"t": [{"tt": 0, "sg": []}] * 21}, "draft.t: List should have at most 20 items"),
        ({"t": [{"tt": 7, "sg": [{"s": 0, "d": 5, "tx": "a", "c": "red"}]}]}, "sg[0].c"),
    ],
)
def test_absurd_drafts_are_refused_with_the_field_named(raw, message):
    with pytest.raises(InvalidDraft) as caught:
        parse_draft(raw)
    assert caught.value.code == 400
    assert message in caught.value.message


def test_portrait_1080x1920_is_the_largest_portrait():
    assert parse_draft({"t": [], "m": {"width": 1080, "height": 1920}}).meta.height == 1920


segments = st.builds(
    lambda s, d, text: {"s": s, "d": d, "tx": text},
    st.integers(0, 50_000),
    st.integers(1, 50_000),
    st.text(min_size=1, max_size=40).filter(str.strip),
)


@given(st.lists(segments, max_size=5))
def test_any_valid_text_draft_round_trips(segs):
    draft = parse_draft({"t": [{"tt": 7, "sg": segs}]})
    again = Draft.model_validate(draft.to_wire())
    assert again == draft
    assert draft.duration == max([s["s"] + s["d"] for s in segs], default=0)
