"""Arranging edits: removing tracks or items, and reordering the main video's items."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import EditOp
from nemo_mock.mock_server.agent.parsing import find_date
from nemo_mock.mock_server.agent.references import (
    SegmentRef,
    find_first_n,
    find_kind_mention,
    find_refs,
    resolve,
)
from nemo_mock.mock_server.agent.timeline import (
    content_end,
    is_bgm,
    is_text,
    is_title,
    is_voiceover,
    normalize_transitions,
    prune,
    rebuild,
    refit_others,
    repack,
    retracked,
    updated,
)
from nemo_mock.mock_server.agent.wording import WORDS, Language, pick, say
from nemo_mock.mock_server.domain.drafts import Draft, Segment, Track

_MUSIC = re.compile(r"\b(?:music|bgm|songs?|soundtrack|tune)\b|音乐|配乐|背景乐|歌", re.IGNORECASE)
_TITLE = re.compile(r"\b(?:titles?|heading|headline)\b|标题|片名", re.IGNORECASE)
_TEXT = re.compile(
    r"\b(?:texts?|captions?|subtitles?|overlays?|words|lower\s+thirds?)\b|文字|字幕|文本",
    re.IGNORECASE,
)
_ALL_TEXT = re.compile(
    r"\ball\s+(?:the\s+)?(?:text|texts|words)\b|所有文字|全部文字", re.IGNORECASE
)
_VOICE = re.compile(r"\b(?:voice-?over|narration|narrator)\b|配音|旁白|解说", re.IGNORECASE)
_DATE = re.compile(r"\bdates?\b|日期", re.IGNORECASE)
_TRANSITIONS = re.compile(r"\b(?:transitions?|crossfades?)\b|转场|过渡", re.IGNORECASE)
_SWAP = re.compile(r"\b(?:swap|switch|exchange)\b|交换|调换|互换|对调", re.IGNORECASE)
_REVERSE = re.compile(r"\breverse\b|倒序|反转|颠倒|倒过来|反过来", re.IGNORECASE)
_DESTINATION_KEY = re.compile(
    r"\b(?:to|into|at|as)\b|移到|挪到|放到|调到|放在|移至|到", re.IGNORECASE
)
_TO_START = re.compile(
    r"\b(?:start|beginning|front|first|top)\b|开头|最前|前面|片头|第一", re.IGNORECASE
)
_TO_END = re.compile(r"\b(?:end|last|back|bottom)\b|结尾|最后|末尾|后面|片尾", re.IGNORECASE)
_TO_POSITION = re.compile(r"\bposition\s+(\d{1,3})\b|第\s*(\d{1,3})\s*(?:个)?\s*位置?")


# --------------------------------------------------------------------------- remove


@dataclass(frozen=True)
class _Removal:
    label_key: str
    keep: Callable[[Track, Segment], bool]


def _text_removals(op: EditOp) -> list[_Removal]:
    clause, removals = op.clause, []
    if _TITLE.search(clause):
        removals.append(_Removal("title", lambda t, s: not is_title(t)))
    if _ALL_TEXT.search(clause):
        removals.append(_Removal("text", lambda t, s: not is_text(t)))
    elif _TEXT.search(clause):
        removals.append(_Removal("text", lambda t, s: not is_text(t) or is_title(t)))
    quotes = set(op.quotes)
    if quotes:
        removals.append(_Removal("text", lambda t, s: not (is_text(t) and s.text in quotes)))
    if _DATE.search(clause):
        removals.append(
            _Removal("date", lambda t, s: not (is_text(t) and _looks_like_date(s.text or "")))
        )
    return removals


def _looks_like_date(text: str) -> bool:
    return find_date(text) is not None or text in ("[Date]", "[日期]")


def _removals(op: EditOp) -> list[_Removal]:
    removals = []
    if _MUSIC.search(op.clause):
        removals.append(_Removal("music", lambda t, s: not is_bgm(t)))
    if _VOICE.search(op.clause):
        removals.append(_Removal("voiceover", lambda t, s: not is_voiceover(t)))
    return removals + _text_removals(op)


def _apply_removals(draft: Draft, removals: list[_Removal]) -> tuple[list[Track], list[str]]:
    tracks, removed = [], []
    for track in draft.tracks:
        kept = list(track.segments)
        for removal in removals:
            before = len(kept)
            kept = [s for s in kept if removal.keep(track, s)]
            if len(kept) < before and removal.label_key not in removed:
                removed.append(removal.label_key)
        if kept or not track.segments:
            tracks.append(track if len(kept) == len(track.segments) else retracked(track, kept))
    return tracks, removed


def edit_remove(op: EditOp, work: Work) -> Outcome:
    """Remove the music, title, texts, voiceover, transitions or given video items."""
    refs = find_refs(op.clause)
    removals = _removals(op)
    if refs and not removals:
        return _remove_items(work, refs)
    if not removals and not _TRANSITIONS.search(op.clause):
        return Reply(say("clarify", work.lang))
    tracks, removed = _apply_removals(work.draft, removals)
    if _TRANSITIONS.search(op.clause):
        tracks, had = _without_transitions(tracks)
        removed += ["transitions"] if had else []
    if not removed:
        what = _label(removals[0].label_key if removals else "transitions", work.lang)
        return Reply(say("nothing_removed", work.lang, what=what), clarify=False)
    total = min(work.draft.duration, content_end(tracks)) if tracks else 0
    draft = rebuild(work.draft, tracks, duration=total if total else 0)
    labels = [_label(key, work.lang) for key in removed]
    what = ("、" if work.lang == "zh" else " and ").join(labels)
    args = {"operation": "remove", "targets": removed}
    return Change(
        draft, work.canvas, args, {"removed": removed}, say("removed", work.lang, what=what)
    )


_REMOVED_LABELS: dict[str, tuple[str, str]] = {
    "music": ("the background music", "背景音乐"),
    "voiceover": ("the voiceover", "配音"),
    "title": ("the title", "标题"),
    "text": ("the text overlays", "文字"),
    "transitions": ("the transitions", "转场"),
    "date": ("the date", "日期"),
}


def _label(key: str, lang: Language) -> str:
    return pick(_REMOVED_LABELS, key, lang)


def _without_transitions(tracks: list[Track]) -> tuple[list[Track], bool]:
    had, result = False, []
    for track in tracks:
        if any(s.transition for s in track.segments):
            had = True
            track = retracked(track, [updated(s, transition=None) for s in track.segments])
        result.append(track)
    return result, had


def item_label(segment: Segment, kind: str, lang: Language) -> str:
    word = pick(WORDS, "photo" if kind == "image" else "clip", lang)
    name = segment.name or segment.src or ""
    return f"{word}「{name}」" if lang == "zh" else f'the {word} "{name}"'


def _remove_items(work: Work, refs: list[SegmentRef]) -> Outcome:
    video = work.video()
    if video is None:
        return Reply(say("nothing_to_edit", work.lang))
    index, segments = video
    kinds = work.kinds(segments)
    chosen = sorted({i for ref in refs if (i := resolve(ref, kinds)) is not None})
    if not chosen:
        return Reply(say("no_such_segment", work.lang, count=len(segments)))
    kept = [s for i, s in enumerate(segments) if i not in chosen]
    labels = [item_label(segments[i], kinds[i], work.lang) for i in chosen]
    draft = with_video(work, index, kept)
    what = ("、" if work.lang == "zh" else " and ").join(labels)
    args = {"operation": "remove_segments", "indices": chosen}
    result = {"removed": len(chosen), "duration_ms": draft.duration}
    return Change(draft, work.canvas, args, result, say("removed", work.lang, what=what))


def with_video(work: Work, index: int, segments: list[Segment]) -> Draft:
    """The draft with the main video now ``segments`` (repacked); the rest kept inside."""
    segments = normalize_transitions(repack(segments))
    new_end = segments[-1].end if segments else 0
    others_end = content_end(t for i, t in enumerate(work.draft.tracks) if i != index)
    total = new_end if segments else min(work.draft.duration, others_end)
    if total <= 0:
        return rebuild(work.draft, [], duration=0)
    tracks = refit_others(work.draft, index, total, scale=False)
    tracks[index] = retracked(tracks[index], segments)
    return rebuild(work.draft, prune(tracks), duration=total)


# --------------------------------------------------------------------------- reorder


def _destination(text: str, source: SegmentRef, count: int, kinds: list[str]) -> int | None:
    after = text[source.at :]
    key = _DESTINATION_KEY.search(after, 1)
    target = after[key.end() :] if key else after[4:]
    position = _TO_POSITION.search(target)
    if position:
        return max(0, min(count - 1, int(position.group(1) or position.group(2)) - 1))
    if _TO_START.search(target):
        return 0
    if _TO_END.search(target):
        return count - 1
    later = [r for r in find_refs(target)]
    return resolve(later[0], kinds) if later else None


def _swap_pair(op: EditOp, refs: list[SegmentRef], kinds: list[str]) -> tuple[int, int] | None:
    if len(refs) >= 2:
        a, b = resolve(refs[0], kinds), resolve(refs[1], kinds)
        return (a, b) if a is not None and b is not None and a != b else None
    pair = find_first_n(op.clause)
    if pair is None or len(kinds) < 2:
        return None
    a, b = (i if i >= 0 else len(kinds) + i for i in pair)
    return (a, b) if 0 <= a < len(kinds) and 0 <= b < len(kinds) else None


def _reordered(op: EditOp, kinds: list[str]) -> tuple[list[int], str] | None:
    """(new order of indices, what was done) or None when the request is unclear."""
    order = list(range(len(kinds)))
    if _REVERSE.search(op.clause):
        return order[::-1], "reverse"
    refs = find_refs(op.clause)
    mention = find_kind_mention(op.clause)
    if not refs and mention is not None:
        refs = [mention]
    if _SWAP.search(op.clause):
        pair = _swap_pair(op, refs, kinds)
        if pair is None:
            return None
        a, b = pair
        order[a], order[b] = order[b], order[a]
        return order, f"swap:{a}:{b}"
    if not refs:
        return None
    source = resolve(refs[0], kinds)
    target = _destination(op.clause, refs[0], len(kinds), kinds)
    if source is None or target is None:
        return None
    order.insert(target, order.pop(source))
    return order, f"move:{source}:{target}"


def _describe(action: str, segments: list[Segment], kinds: list[str], lang: Language) -> str:
    parts = action.split(":")
    if parts[0] == "reverse":
        return "将片段顺序倒转" if lang == "zh" else "reversed the order of the clips"
    a, b = int(parts[1]), int(parts[2])
    first, second = (
        item_label(segments[a], kinds[a], lang),
        item_label(segments[b], kinds[b], lang),
    )
    if parts[0] == "swap":
        return f"交换了{first}和{second}" if lang == "zh" else f"swapped {first} and {second}"
    place = _place(b, len(segments), lang)
    return f"将{first}移到{place}" if lang == "zh" else f"moved {first} to {place}"


def _place(index: int, count: int, lang: Language) -> str:
    if index == 0:
        return "开头" if lang == "zh" else "the start"
    if index == count - 1:
        return "结尾" if lang == "zh" else "the end"
    return f"第{index + 1}个位置" if lang == "zh" else f"position {index + 1}"


def edit_reorder(op: EditOp, work: Work) -> Outcome:
    """Move, swap or reverse items of the main video; their lengths are kept."""
    video = work.video()
    if video is None:
        return Reply(say("nothing_to_edit", work.lang))
    index, segments = video
    kinds = work.kinds(segments)
    plan = _reordered(op, kinds)
    if plan is None:
        return Reply(say("no_such_segment", work.lang, count=len(segments)))
    order, action = plan
    style = next((s.transition for s in segments if s.transition), None)
    moved = [segments[i] for i in order]
    if style is not None:
        moved = [updated(s, transition=style.model_dump()) for s in moved]
    packed = normalize_transitions(repack(moved))
    tracks = list(work.draft.tracks)
    tracks[index] = retracked(tracks[index], packed)
    draft = rebuild(work.draft, tracks)
    text = say("reordered", work.lang, what=_describe(action, segments, kinds, work.lang))
    args = {"operation": "reorder", "action": action.split(":")[0], "order": order}
    return Change(draft, work.canvas, args, {"order": order}, text)
