"""Subtitles from the voiceover: "add subtitles", "add captions for the narration", "加字幕".

The words come from the voiceover the agent synthesised (its ``generated_media`` prompt);
one cue per sentence or phrase, timed as the script's captions are (``agent/narration.py``:
the synthesiser's sentence lengths, estimated without it), or by the entry's own ``cues``.
Without a voiceover whose words are known the agent asks what the captions should say.
"""

from __future__ import annotations

import re
from typing import Any

from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, EditOp, words
from nemo_mock.mock_server.agent.edits.style import is_style_request
from nemo_mock.mock_server.agent.narration import narrate
from nemo_mock.mock_server.agent.parsing import find_date, find_durations, find_names
from nemo_mock.mock_server.agent.timeline import is_voiceover, make_track, rebuild
from nemo_mock.mock_server.agent.titles import font_sizes
from nemo_mock.mock_server.agent.wording import say
from nemo_mock.mock_server.domain.drafts import Segment, Track, TrackType

_SUBTITLES = words(r"\b(?:subtitles?|captions?|closed\s+captions?|cc)\b|字幕")
_GIVEN_TEXT = words(
    r"[:：]|\bsaying\b|\bthat\s+says\b|\bnames?\b|\bdates?\b|名字|姓名|日期|\bwith\s+the\s+text\b"
)
TRACK_NAME = "Subtitles"


def detect(clause: Clause) -> bool:
    if not clause.has(_SUBTITLES) or clause.has_quote or clause.has(_GIVEN_TEXT):
        return False
    if is_style_request(clause):
        return False
    return (
        not find_durations(clause.text)
        and not find_names(clause.text)
        and not find_date(clause.text)
    )


def _narrated(text: str, start: int, length: int, work: Work) -> list[tuple[str, int, int]]:
    """Cues as the script's captions are timed: by the synthesiser's sentence lengths
    (``SessionView.speech``; estimated without one), one per sentence or phrase."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?。！？])\s*", text) if s.strip()]
    timed = narrate(sentences, work.view.speech, length).cues()
    return [(cue, start + s, e - s) for cue, s, e in timed if e > s]


def _entry_cues(entry: dict[str, Any], start: int, length: int) -> list[tuple[str, int, int]]:
    """The synthesiser's own cues (``cues``: text, start_ms, end_ms), when the entry has them."""
    found = []
    for cue in entry.get("cues") or []:
        if isinstance(cue, dict) and isinstance(cue.get("text"), str):
            s, e = int(cue.get("start_ms", 0)), int(cue.get("end_ms", 0))
            if e > s and s < length:
                found.append((cue["text"], start + s, min(e, length) - s))
    return found


def _voiceover_cues(work: Work) -> list[tuple[str, int, int]] | None:
    for track in work.draft.tracks:
        if not is_voiceover(track):
            continue
        cues: list[tuple[str, int, int]] = []
        for seg in track.segments:
            entry = next((g for g in work.view.generated if g.get("id") == seg.src), None)
            if entry is None or not str(entry.get("prompt") or "").strip():
                return None
            offset, length = seg.start - (seg.source_in or 0), seg.duration
            own = _entry_cues(entry, offset, length + (seg.source_in or 0))
            cues += own or _narrated(str(entry["prompt"]), seg.start, length, work)
        return cues or None
    return None


def edit_subtitles(op: EditOp, work: Work) -> Outcome:
    if any((t.name or "") == TRACK_NAME and t.segments for t in work.draft.tracks):
        return Reply(say("subtitles_same", work.lang), clarify=False)
    cues = _voiceover_cues(work)
    if not cues:
        return Reply(say("subtitles_need_voice", work.lang))
    size = font_sizes(work.canvas)[1]
    segments = [
        Segment.model_validate(
            {
                "s": s,
                "d": d,
                "tx": text,
                "n": "Subtitle",
                "pos": "bottom",
                "fs": size,
                "c": "#FFFFFF",
            }
        )
        for text, s, d in cues
        if s + d <= work.draft.duration
    ]
    tracks: list[Track] = [*work.draft.tracks, make_track(TrackType.TEXT, TRACK_NAME, segments)]
    draft = rebuild(work.draft, tracks)
    text = say("subtitles_added", work.lang, count=len(segments))
    args = {"operation": "add_subtitles", "source": "voiceover", "cues": len(segments)}
    return Change(draft, work.canvas, args, {"track": TRACK_NAME, "cues": len(segments)}, text)


KIND = EditKind(
    name="subtitles",
    detect=detect,
    apply=edit_subtitles,
    needs_content=True,
    alone=True,
    intent="subtitles",
    examples=("add subtitles", "add captions for the narration", "加字幕", "给配音生成字幕"),
    changes='a text track "Subtitles": the voiceover\'s words, one cue per sentence or phrase, '
    "timed over it; without a voiceover the agent asks what the captions should say",
)
