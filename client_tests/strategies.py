"""Hypothesis strategies for users' own property tests: valid drafts and chat messages.

    from hypothesis import given
    from nemo_mock.client_tests.strategies import drafts, chat_messages

    @given(drafts(sources=["f_0123456789abcdef"]))
    def test_my_summary_never_crashes(draft): ...

Every draft drawn is valid for the mock (``nemo_mock.mock_server.domain.drafts.parse_draft``
accepts it) and export-ready. ``generation_messages`` are acted on in a session with
uploads, ``edit_messages`` once the timeline has a video track.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from nemo_mock.client_tests.explore.strategies import fault_schedules

__all__ = [
    "chat_messages",
    "drafts",
    "edit_messages",
    "fault_schedules",
    "generation_messages",
]

MOODS = ("lofi", "romantic", "upbeat", "cinematic", "calm")
CANVASES = ((1920, 1080), (1080, 1920), (1080, 1080), (1280, 720))
_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda text: text.strip() != "")


@st.composite
def drafts(
    draw: st.DrawFn, sources: Sequence[str] = ("bgm_lofi",), max_segments: int = 6
) -> dict[str, Any]:
    """A short-key draft (§4.7): a video track of ``sources``, maybe music and titles."""
    count = draw(st.integers(1, max_segments))
    lengths = draw(st.lists(st.integers(500, 5000), min_size=count, max_size=count))
    starts = [sum(lengths[:i]) for i in range(count)]
    total = sum(lengths)
    video = [
        {"s": start, "d": length, "src": draw(st.sampled_from(list(sources)))}
        for start, length in zip(starts, lengths, strict=True)
    ]
    tracks: list[dict[str, Any]] = [{"tt": 0, "sg": video}]
    if draw(st.booleans()):
        mood = draw(st.sampled_from(MOODS))
        volume = draw(st.integers(0, 100))
        tracks.append({"tt": 1, "sg": [{"s": 0, "d": total, "src": f"bgm_{mood}", "v": volume}]})
    if draw(st.booleans()):
        title_length = min(total, draw(st.integers(500, 3000)))
        tracks.append({"tt": 7, "sg": [{"s": 0, "d": title_length, "tx": draw(_TEXT)}]})
    width, height = draw(st.sampled_from(CANVASES))
    return {"t": tracks, "d": total, "m": {"width": width, "height": height}}


def generation_messages(language: str | None = None) -> st.SearchStrategy[str]:
    """Requests for a new video (§5), which the agent acts on in a session with uploads."""
    english = st.one_of(
        st.builds("make me a {}-second {} video".format, st.integers(5, 60), _subject()),
        st.just("turn my photos into a smooth video slideshow with transitions and music"),
        st.builds(
            "turn these images into a {}-second promo video with music and text overlays".format,
            st.integers(10, 60),
        ),
    )
    chinese = st.builds(
        "做一个{}秒的{}视频".format, st.integers(5, 60), st.sampled_from(["日落", "城市", "海边"])
    )
    return _in(language, english, chinese)


def edit_messages(language: str | None = None) -> st.SearchStrategy[str]:
    """Edits of an existing timeline (music, titles, volume), which the agent acts on once a
    draft has a video track."""
    english = st.one_of(
        st.builds(
            "add {} background music".format, st.sampled_from(["lo-fi", "romantic", "upbeat"])
        ),
        st.builds("put a title '{}' at the beginning".format, _title()),
    )
    chinese = st.one_of(
        st.builds("在开头加上标题“{}”".format, _title()),
        st.just("加一段轻松的背景音乐"),
    )
    return _in(language, english, chinese)


def chat_messages(language: str | None = None) -> st.SearchStrategy[str]:
    """Either kind: generation requests and edits, in English or Chinese (or ``language``)."""
    return st.one_of(generation_messages(language), edit_messages(language))


def _in(
    language: str | None, english: st.SearchStrategy[str], chinese: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    if language == "en":
        return english
    if language == "zh":
        return chinese
    return st.one_of(english, chinese)


def _subject() -> st.SearchStrategy[str]:
    return st.sampled_from(["sunset timelapse", "city", "ocean waves", "forest walk"])


def _title() -> st.SearchStrategy[str]:
    return st.text(
        alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x7F),
        min_size=1,
        max_size=20,
    )
