"""Trim one item: "trim the first clip to 3 seconds", "cut 2 seconds off the start of the
second clip", "shorten the last clip by 1 second", "把第一个片段剪到2秒"."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edit_arrange import with_video
from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, EditOp, words
from nemo_mock.mock_server.agent.edits.targets import pointed_items
from nemo_mock.mock_server.agent.parsing import find_durations
from nemo_mock.mock_server.agent.references import find_kind_mention, find_refs
from nemo_mock.mock_server.agent.timeline import clamp_ms, updated
from nemo_mock.mock_server.agent.wording import say, seconds_text

_TRIM = words(r"\b(?:trim|cut|shorten)\b|剪到|剪成|剪短|裁剪|剪掉|裁掉|缩短")
_TO = words(r"\b(?:to|down\s+to)\s*$|到\s*$|成\s*$|为\s*$")
_FROM_START = words(r"\b(?:start|beginning|front|head|first)\b|开头|前面|片头")
_BY = words(r"\b(?:off|by|from)\b|掉")
MIN_MS = 100


def detect(clause: Clause) -> bool:
    pointed = find_refs(clause.text) or find_kind_mention(clause.text)
    return clause.has(_TRIM) and bool(pointed) and bool(find_durations(clause.text))


def edit_trim(op: EditOp, work: Work) -> Outcome:
    """Shorten one item to a length, or cut a length off its start or end."""
    items = pointed_items(op, work)
    if isinstance(items, Reply):
        return items
    if items.whole and len(items.segments) > 1:
        return Reply(say("trim_which", work.lang))
    clause = op.clause.lower()
    found = find_durations(clause)[0]
    ms = clamp_ms(found.seconds * 1000)
    i = items.chosen[0]
    seg = items.segments[i]
    to_length = _TO.search(clause[: found.start]) is not None or not _BY.search(clause)
    from_start = not to_length and _FROM_START.search(clause) is not None
    duration = ms if to_length else seg.duration - ms
    if duration >= seg.duration:
        return Reply(
            say("trim_longer", work.lang, what=items.label, seconds=seconds_text(seg.duration)),
            clarify=False,
        )
    if duration < MIN_MS:
        return Reply(
            say("trim_too_short", work.lang, what=items.label, seconds=seconds_text(seg.duration))
        )
    source_in = (seg.source_in or 0) + (seg.duration - duration) * (seg.speed or 1)
    fields = {"duration": duration}
    if from_start and items.kinds[i] == "clip":
        fields["source_in"] = round(source_in)
    segments = list(items.segments)
    segments[i] = updated(seg, **fields)
    draft = with_video(work, items.track, segments)
    key = "trim_start" if from_start else "trim_set"
    text = say(
        key, work.lang, what=items.label, seconds=seconds_text(duration),
        cut=seconds_text(seg.duration - duration), total=seconds_text(draft.duration),
    )  # fmt: skip
    args = {"operation": "trim", "index": i, "duration_ms": duration, "from_start": from_start}
    return Change(draft, work.canvas, args, {"duration_ms": draft.duration}, text)


KIND = EditKind(
    name="trim",
    detect=detect,
    apply=edit_trim,
    needs_content=True,
    alone=True,
    intent="trim",
    examples=(
        "trim the first clip to 2 seconds",
        "cut 1 second off the start of the second clip",
        "shorten the last photo by 1 second",
        "把第一个片段剪到2秒",
    ),
    changes="the item's `d` (and `ss` when cut from its start); the video closes up",
)
