"""Text edits: titles and captions (quoted text, names, dates), their timing and position."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import EditOp
from nemo_mock.mock_server.agent.parsing import find_date, find_durations, find_names, find_position
from nemo_mock.mock_server.agent.placeholders import fill_placeholders
from nemo_mock.mock_server.agent.timeline import (
    clamp_ms,
    find_track,
    is_title,
    rebuild,
    retracked,
    updated,
    with_meta,
)
from nemo_mock.mock_server.agent.titles import (
    TITLE_MS,
    overlay_segments,
    place_overlays,
    place_title,
    title_segment,
)
from nemo_mock.mock_server.agent.wording import (
    POSITION_LABELS,
    WORDS,
    Language,
    join_texts,
    pick,
    say,
    seconds_text,
)
from nemo_mock.mock_server.domain.drafts import MAX_DURATION_MS, Draft, Segment

_CAPTION = re.compile(
    r"\b(?:captions?|subtitles?|overlays?|lower\s+third|texts?|words|tagline|slogan)\b|字幕|文字|文本|标语",
    re.IGNORECASE,
)
_TITLE = re.compile(r"\b(?:titles?|heading|headline)\b|标题|片名", re.IGNORECASE)
_START = re.compile(
    r"\b(?:beginning|start|opening|intro|first)\b|开头|片头|开始|最前", re.IGNORECASE
)
_END = re.compile(r"\b(?:end|ending|outro|closing|last)\b|结尾|片尾|末尾|最后", re.IGNORECASE)
_WHOLE = re.compile(
    r"\b(?:whole|entire|throughout|all\s+the\s+time|full\s+video)\b|全程|整个|一直", re.IGNORECASE
)
_STARTS_AT = re.compile(r"(?:\bat|\bfrom|starting\s+at|\bafter|第|从|在)\s*$", re.IGNORECASE)
_ENDS_AT = re.compile(r"(?:\bto|\buntil|\btill|到|至)\s*$", re.IGNORECASE)
_SAYING = re.compile(
    r"(?:\b(?:title|caption|text|subtitle)\s*[:：]|\bsaying\b|\bthat\s+says\b|\bwhich\s+says\b"
    r"|标题(?:为|是)?\s*[:：]|字幕\s*[:：]|文字\s*[:：])\s*(?P<text>.+)$",
    re.IGNORECASE,
)
_NAMES_ASKED = re.compile(r"\bnames?\b|名字|姓名", re.IGNORECASE)
_DATE_ASKED = re.compile(r"\bdates?\b|日期", re.IGNORECASE)


@dataclass(frozen=True)
class Timing:
    anchor: str | None  # "start" | "end" | "whole" | None
    start: int | None
    duration: int | None


def text_timing(clause: str) -> Timing:
    start = duration = end = None
    for found in find_durations(clause):
        ms = clamp_ms(found.seconds * 1000)
        before = clause[: found.start]
        if _STARTS_AT.search(before) and start is None:
            start = ms
        elif _ENDS_AT.search(before) and start is not None:
            end = ms
        elif duration is None:
            duration = ms
    if start is not None and end is not None and end > start:
        duration = end - start
    anchor = "whole" if _WHOLE.search(clause) else "end" if _END.search(clause) else None
    anchor = anchor or ("start" if _START.search(clause) else None)
    return Timing(anchor, start, duration)


def _length(timing: Timing, total: int, is_title_role: bool) -> int:
    """How long new text shows: as asked; else 3 s for titles and anchored or placed text;
    else (a caption) the whole video."""
    if timing.duration:
        return timing.duration
    if timing.anchor == "whole":
        return total or TITLE_MS
    if is_title_role or timing.anchor in ("start", "end") or timing.start is not None:
        return TITLE_MS
    return total or TITLE_MS


def _span(timing: Timing, total: int, is_title_role: bool) -> tuple[int, int]:
    """(start, duration) of new text; ``total`` 0 means an empty timeline."""
    duration = _length(timing, total, is_title_role)
    if total == 0:
        start = min(timing.start or 0, MAX_DURATION_MS - 1000)
        return (start, min(duration, MAX_DURATION_MS - start))
    duration = min(duration, total)
    if timing.anchor == "end" and timing.start is None:
        return (total - duration, duration)
    start = timing.start if timing.start is not None else 0
    return (min(start, total - duration), duration)


def _texts(op: EditOp, is_title_role: bool, lang: Language) -> list[str]:
    if op.quotes:
        return list(op.quotes)
    said = _SAYING.search(op.raw)
    if said and said.group("text").strip(" .!'\""):
        return [said.group("text").strip(" .!'\"")[:500]]
    names, date = find_names(op.raw), find_date(op.raw)
    texts = []
    if names or _NAMES_ASKED.search(op.clause):
        texts.append(names or pick(WORDS, "names_placeholder", lang))
    if date or _DATE_ASKED.search(op.clause):
        texts.append(date or pick(WORDS, "date_placeholder", lang))
    if is_title_role and len(texts) > 1:
        return [" · ".join(texts)]
    return texts


def edit_text(op: EditOp, work: Work) -> Outcome:
    """Add a title or captions; with no new text, move or retime the existing title."""
    clause = op.clause.lower()
    timing = text_timing(clause)
    is_title_role = bool(_TITLE.search(clause)) or (
        not _CAPTION.search(clause) and timing.anchor in ("start", "end")
    )
    texts = _texts(op, is_title_role, work.lang)
    position = find_position(clause)
    if not texts:
        index = _title_index(work.draft)
        if is_title_role and index is not None:
            return _move_title(work, index, timing, position)
        return Reply(say("need_text", work.lang))
    if is_title_role:
        return _add_title(work, texts[0], timing, position or "center")
    filled = None if op.quotes else fill_placeholders(work, op.raw, texts)
    return filled or _add_overlays(work, texts, timing, position or "bottom")


def _grown(draft: Draft, end: int) -> int:
    return min(MAX_DURATION_MS, max(draft.duration, end))


def _add_title(work: Work, text: str, timing: Timing, position: str) -> Change:
    start, duration = _span(timing, work.draft.duration, True)
    segment = title_segment(text, start, duration, work.canvas, position)
    tracks = place_title(list(work.draft.tracks), segment)
    meta = with_meta(work.draft.meta, title=text[:500]) if start == 0 else work.draft.meta
    draft = rebuild(work.draft, tracks, duration=_grown(work.draft, segment.end), meta=meta)
    where = pick(POSITION_LABELS, position, work.lang)
    message = say(
        "title_added", work.lang, text=text, start=seconds_text(start),
        end=seconds_text(segment.end), position=where,
    )  # fmt: skip
    args = {
        "operation": "add_title",
        "text": text,
        "start_ms": start,
        "duration_ms": duration,
        "position": position,
    }
    return Change(
        draft,
        work.canvas,
        args,
        {"track": "Title", "start_ms": start, "end_ms": segment.end},
        message,
    )


def _add_overlays(work: Work, texts: list[str], timing: Timing, position: str) -> Change:
    start, duration = _span(timing, work.draft.duration, False)
    segments = overlay_segments(texts, start, start + duration, work.canvas, position)
    tracks = place_overlays(list(work.draft.tracks), segments)
    end = max(s.end for s in segments)
    draft = rebuild(work.draft, tracks, duration=_grown(work.draft, end))
    shown = [s.text or "" for s in segments]
    message = say("text_added", work.lang, count=len(shown), texts=join_texts(shown, work.lang))
    args = {
        "operation": "add_text",
        "texts": shown,
        "start_ms": start,
        "duration_ms": duration,
        "position": position,
    }
    return Change(draft, work.canvas, args, {"track": "Text", "segments": len(segments)}, message)


def _title_index(draft: Draft) -> int | None:
    index = find_track(draft, is_title)
    return index if index is not None and draft.tracks[index].segments else None


def _moved_span(timing: Timing, first: Segment, total: int) -> tuple[int, int]:
    if timing.anchor == "whole":
        return (0, total)
    duration = min(timing.duration or first.duration, total)
    if timing.anchor == "end":
        return (total - duration, duration)
    if timing.anchor == "start":
        return (0, duration)
    start = timing.start if timing.start is not None else first.start
    return (max(0, min(start, total - duration)), duration)


def _move_title(work: Work, index: int, timing: Timing, position: str | None) -> Outcome:
    track = work.draft.tracks[index]
    first = track.segments[0]
    start, duration = _moved_span(timing, first, work.draft.duration)
    moved = updated(first, start=start, duration=duration, position=position or first.position)
    rest = [s for s in track.segments[1:] if s.end <= moved.start or s.start >= moved.end]
    tracks = list(work.draft.tracks)
    tracks[index] = retracked(track, sorted([moved, *rest], key=lambda s: s.start))
    draft = rebuild(work.draft, tracks)
    where = pick(POSITION_LABELS, moved.position or "center", work.lang)
    message = say(
        "title_moved", work.lang, text=moved.text or "", start=seconds_text(moved.start),
        end=seconds_text(moved.end), position=where,
    )  # fmt: skip
    args = {
        "operation": "move_title", "start_ms": moved.start, "duration_ms": moved.duration,
        "position": moved.position,
    }  # fmt: skip
    result = {"track": "Title", "start_ms": moved.start, "end_ms": moved.end}
    return Change(draft, work.canvas, args, result, message)
