"""Fades of the picture or the music: "add a fade out at the end", "fade in the video",
"fade out the music over 3 seconds", "视频结尾淡出", "音乐淡入"."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, EditOp, words
from nemo_mock.mock_server.agent.edits.vocabulary import MUSIC_WORDS, TRANSITION
from nemo_mock.mock_server.agent.parsing import find_durations
from nemo_mock.mock_server.agent.timeline import clamp_ms, is_bgm, rebuild, retracked, updated
from nemo_mock.mock_server.agent.wording import say, seconds_text
from nemo_mock.mock_server.domain.drafts import Segment

_FADE = words(r"\bfad(?:e|es|ing)\b|淡入|淡出|渐隐|渐显")
_IN = words(
    r"\bfade[\s-]*in\b|\bfades?\s+(?:\w+\s+){0,4}?in\b|淡入|渐显|\b(?:start|beginning|opening)\b|开头|开始"
)
_OUT = words(
    r"\bfade[\s-]*out\b|\bfades?\s+(?:\w+\s+){0,4}?out\b|淡出|渐隐|\b(?:end|ending|close|closing)\b|结尾|最后"
)
_OFF = words(r"\b(?:remove|no|without|delete)\b|去掉|删除|取消|不要")
VIDEO_FADE_MS = 1000
MUSIC_FADE_MS = 2000


def detect(clause: Clause) -> bool:
    return clause.has(_FADE) and not clause.has(TRANSITION)


def _ends(clause: str) -> tuple[bool, bool]:
    fade_in, fade_out = bool(_IN.search(clause)), bool(_OUT.search(clause))
    return (True, True) if not (fade_in or fade_out) else (fade_in, fade_out)


def edit_fade(op: EditOp, work: Work) -> Outcome:
    """Fade the video in from / out to black, or the music in / out; "remove" sets 0."""
    clause = op.clause.lower()
    music = MUSIC_WORDS.search(clause) is not None
    fade_in, fade_out = _ends(clause)
    lengths = find_durations(clause)
    default = MUSIC_FADE_MS if music else VIDEO_FADE_MS
    length = (
        0 if _OFF.search(clause) else clamp_ms(lengths[0].seconds * 1000) if lengths else default
    )
    if music:
        index = next((i for i, t in enumerate(work.draft.tracks) if is_bgm(t) and t.segments), None)
    else:
        video = work.video()
        index = video[0] if video else None
    if index is None:
        return Reply(say("fade_no_music" if music else "nothing_to_edit", work.lang))
    track = work.draft.tracks[index]
    segments = list(track.segments)
    first, last = segments[0], segments[-1]
    if fade_in:
        first = segments[0] = _faded(first, "fade_in", length)
    if fade_out:
        segments[-1] = _faded(first if len(segments) == 1 else last, "fade_out", length)
    if segments == list(track.segments):
        return Reply(say("fade_same", work.lang), clarify=False)
    tracks = list(work.draft.tracks)
    tracks[index] = retracked(track, segments)
    draft = rebuild(work.draft, tracks)
    what = say("fade_music" if music else "fade_video", work.lang)
    ends = say(
        "fade_both" if fade_in and fade_out else "fade_in" if fade_in else "fade_out", work.lang
    )
    key = "fade_removed" if length == 0 else "fade_set"
    text = say(
        key, work.lang, what=what, ends=ends, seconds=seconds_text(_applied(segments, fade_in))
    )
    args = {"operation": "fade", "target": "music" if music else "video", "in": fade_in,
            "out": fade_out, "duration_ms": length}  # fmt: skip
    return Change(draft, work.canvas, args, {"track": index}, text)


def _faded(segment: Segment, field: str, length: int) -> Segment:
    return updated(segment, **{field: min(length, segment.duration // 2)})


def _applied(segments: list[Segment], fade_in: bool) -> int:
    seg = segments[0] if fade_in else segments[-1]
    return (seg.fade_in if fade_in else seg.fade_out) or 0


KIND = EditKind(
    name="fade",
    detect=detect,
    apply=edit_fade,
    needs_content=True,
    on_removal=True,
    intent="fade",
    examples=(
        "add a fade out at the end",
        "fade in the video",
        "fade out the music over 3 seconds",
        "视频结尾淡出",
        "背景音乐淡入",
    ),
    changes="`fi`/`fo` on the first/last video segment (the picture from/to black, 1 s) or "
    "on the music (2 s); a length when given",
)
