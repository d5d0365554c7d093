"""Split an item in two: "split the second clip at 1 second", "split the video at 5
seconds", "split the first clip in half", "把第二个片段在1秒处分割"."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edit_arrange import with_video
from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, EditOp, words
from nemo_mock.mock_server.agent.edits.targets import pointed_items
from nemo_mock.mock_server.agent.parsing import find_durations
from nemo_mock.mock_server.agent.references import find_refs
from nemo_mock.mock_server.agent.timeline import clamp_ms, updated
from nemo_mock.mock_server.agent.wording import say, seconds_text

_SPLIT = words(
    r"\bsplit\b|\bcut\s+(?:\w+\s+){0,4}?in\s+(?:two|half)\b|分割|拆分|切开|切成两段|一分为二"
)
_HALF = words(r"\b(?:in\s+half|in\s+two|halves|middle)\b|一分为二|两半|中间|切成两段")
MIN_MS = 100


def detect(clause: Clause) -> bool:
    return clause.has(_SPLIT)


def edit_split(op: EditOp, work: Work) -> Outcome:
    """Two segments from one: the same source, the second starting where the first ends."""
    items = pointed_items(op, work)
    if isinstance(items, Reply):
        return items
    clause = op.clause.lower()
    lengths = find_durations(clause)
    named = bool(find_refs(clause)) or not items.whole or len(items.segments) == 1
    if named:
        i = items.chosen[0]
        seg = items.segments[i]
        at = (
            seg.duration // 2
            if _HALF.search(clause) or not lengths
            else clamp_ms(lengths[0].seconds * 1000)
        )
    elif lengths:  # a time on the whole video: the item playing then
        moment = clamp_ms(lengths[0].seconds * 1000)
        i = next((k for k, s in enumerate(items.segments) if s.start < moment < s.end), -1)
        if i < 0:
            return Reply(say("split_where", work.lang))
        seg = items.segments[i]
        at = moment - seg.start
    else:
        return Reply(say("split_where", work.lang))
    if not MIN_MS <= at <= seg.duration - MIN_MS:
        return Reply(say("split_outside", work.lang, seconds=seconds_text(seg.duration)))
    first = updated(seg, duration=at, transition=None)
    rest = {"start": seg.start + at, "duration": seg.duration - at, "id": None}
    if items.kinds[i] == "clip":
        rest["source_in"] = (seg.source_in or 0) + round(at * (seg.speed or 1))
    second = updated(seg, **rest)
    segments = [*items.segments[:i], first, second, *items.segments[i + 1 :]]
    draft = with_video(work, items.track, segments)
    label = items.label if named else say("split_item", work.lang, index=i + 1)
    text = say("split_done", work.lang, what=label, at=seconds_text(at),
               first=seconds_text(at), second=seconds_text(seg.duration - at))  # fmt: skip
    args = {"operation": "split", "index": i, "at_ms": at}
    return Change(draft, work.canvas, args, {"segments": len(segments)}, text)


KIND = EditKind(
    name="split",
    detect=detect,
    apply=edit_split,
    needs_content=True,
    alone=True,
    intent="split",
    examples=(
        "split the second clip at 1 second",
        "split the video at 5 seconds",
        "split the first clip in half",
        "把第二个片段在1秒处分割",
    ),
    changes="one item becomes two back-to-back segments of the same source (`ss` of the second "
    "where the first ends); the total is unchanged",
)
