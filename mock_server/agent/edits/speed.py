"""Clip speed: "speed up the second clip", "slow down the video", "play the first clip at
2x", "half speed", "第二个片段加速", "慢动作"."""

from __future__ import annotations

import re

from nemo_mock.mock_server.agent.edit_arrange import with_video
from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, EditOp, words
from nemo_mock.mock_server.agent.edits.targets import pointed_items
from nemo_mock.mock_server.agent.timeline import updated
from nemo_mock.mock_server.agent.wording import say, seconds_text
from nemo_mock.mock_server.domain.drafts import Segment

_FASTER = words(
    r"\b(?:speed\s+(?:\w+\s+)?up|faster|quicker|fast[\s-]+forward|speedier)\b|加速|快一点|快进|加快|变快"
)
_SLOWER = words(
    r"\b(?:slow\s+(?:\w+\s+)?down|slower|slow[\s-]*mo(?:tion)?)\b|减速|慢一点|放慢|慢动作|变慢"
)
_NORMAL = words(r"\bnormal\s+speed\b|\b(?:original|regular)\s+speed\b|正常速度|原速")
_FACTOR = re.compile(r"(\d+(?:\.\d+)?)\s*(?:x|×|times|倍)(?:\s*speed)?", re.I)
_HALF = words(r"\bhalf\s+speed\b|半速|\b0?\.5\s*x\b")
_DOUBLE = words(r"\b(?:double\s+speed|twice\s+as\s+fast)\b|两倍速|双倍速")
_SPEED = words(r"\bspeed\b|速度|倍速")
STEP = 1.5


_VERBS = words(
    r"\b(?:speed\s+(?:\w+\s+)?up|slow\s+(?:\w+\s+)?down|slow[\s-]*mo(?:tion)?)\b|[\u4e00-\u9fff]"
)


def detect(clause: Clause) -> bool:
    named = clause.has(_SPEED) and (clause.has(_FACTOR) or clause.has(_NORMAL))
    paced = any(clause.has(p) for p in (_FASTER, _SLOWER, _HALF, _DOUBLE))
    return named or (paced and (clause.has(_VERBS) or clause.asks))


def _target_speed(clause: str, current: float) -> float | None:
    factor = _FACTOR.search(clause)
    if _NORMAL.search(clause):
        return 1.0
    if _HALF.search(clause):
        return 0.5
    if _DOUBLE.search(clause):
        return 2.0
    if factor:
        value = float(factor.group(1))
        return value if _FASTER.search(clause) or not _SLOWER.search(clause) else 1 / value
    if _FASTER.search(clause):
        return current * STEP
    if _SLOWER.search(clause):
        return current / STEP
    return None


def edit_speed(op: EditOp, work: Work) -> Outcome:
    """Play the chosen items (every item by default) faster or slower; the same part of each
    clip plays, so its length changes by the inverse factor, and the video closes up."""
    items = pointed_items(op, work)
    if isinstance(items, Reply):
        return items
    clause = op.clause.lower()
    segments = list(items.segments)
    new_speed = 1.0
    for i in items.chosen:
        current = segments[i].speed or 1.0
        wanted = _target_speed(clause, current)
        if wanted is None:
            return Reply(say("speed_ask", work.lang))
        new_speed = round(min(4.0, max(0.25, wanted)), 2)
        segments[i] = _respeeded(segments[i], current, new_speed, items.kinds[i] == "clip")
    if segments == items.segments:
        return Reply(
            say("speed_same", work.lang, what=items.label, speed=f"{new_speed:g}"), clarify=False
        )
    draft = with_video(work, items.track, segments)
    text = say(
        "speed_set", work.lang, what=items.label, speed=f"{new_speed:g}",
        seconds=seconds_text(draft.duration),
    )  # fmt: skip
    args = {"operation": "set_speed", "indices": items.chosen, "speed": new_speed}
    return Change(draft, work.canvas, args, {"duration_ms": draft.duration}, text)


def _respeeded(seg: Segment, old: float, new: float, clip: bool) -> Segment:
    duration = max(100, round(seg.duration * old / new))
    return updated(seg, duration=duration, speed=None if new == 1 or not clip else new)


KIND = EditKind(
    name="speed",
    detect=detect,
    apply=edit_speed,
    needs_content=True,
    alone=True,
    intent="speed",
    examples=(
        "speed up the second clip",
        "slow down the video",
        "play the first clip at 2x speed",
        "第二个片段加速",
        "把视频放慢",
    ),
    changes="`sp` on the clips named (every item by default; photos are shown for less or more "
    "time instead), each segment's `d` divided by the change so the same part of the clip "
    "plays; the video closes up",
)
