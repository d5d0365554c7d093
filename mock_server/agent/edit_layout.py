"""Layout edits: the canvas (aspect ratio, resolution) and transitions between clips."""

from __future__ import annotations

import re

from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import EditOp
from nemo_mock.mock_server.agent.montage import TRANSITION_MS, add_transitions
from nemo_mock.mock_server.agent.parsing import (
    aspect_label,
    canvas_for,
    find_aspect,
    find_durations,
)
from nemo_mock.mock_server.agent.timeline import rebuild, retracked, updated, with_meta
from nemo_mock.mock_server.agent.wording import ORIENTATION_LABELS, WORDS, pick, say, seconds_text

_TRANSITION_OFF = re.compile(
    r"\b(?:remove|delete|no|without|none|off|disable|get\s+rid\s+of|drop|cut)\b|去掉|删除|不要|取消|删掉|去除",
    re.IGNORECASE,
)
_TRANSITION_KINDS: tuple[tuple[str, str], ...] = (
    ("dissolve", r"dissolve|溶解"),
    ("wipeleft", r"wipe|擦除"),
    ("slideleft", r"slide|滑动|推移"),
    ("circleopen", r"circle|圆形"),
    ("fade", r"fade|crossfade|cross-fade|淡入淡出|淡化"),
)


def _orientation(canvas: tuple[int, int]) -> str:
    width, height = canvas
    return "square" if width == height else "portrait" if height > width else "landscape"


def edit_canvas(op: EditOp, work: Work) -> Outcome:
    """Change the canvas (and the draft's ``m`` width/height); clips are reframed by ``fit``."""
    aspect = find_aspect(op.clause)
    if aspect is None:
        return Reply(say("clarify", work.lang))
    canvas = canvas_for(aspect, work.canvas)
    width, height = canvas
    label = aspect_label(canvas)
    if canvas == work.canvas and (work.draft.meta.width, work.draft.meta.height) == canvas:
        return Reply(say("canvas_same", work.lang, width=width, height=height, aspect=label), False)
    draft = rebuild(work.draft, meta=with_meta(work.draft.meta, width=width, height=height))
    orientation = _orientation(canvas)
    text = say(
        "canvas_set", work.lang, orientation=pick(ORIENTATION_LABELS, orientation, work.lang),
        width=width, height=height, aspect=label,
    )  # fmt: skip
    if orientation == "portrait":
        text += say("canvas_portrait_tip", work.lang)
    text += say("canvas_regenerate", work.lang)
    args = {"operation": "set_canvas", "width": width, "height": height, "aspect": label}
    result = {"width": width, "height": height, "aspect": label, "previous": list(work.canvas)}
    return Change(draft, canvas, args, result, text)


def _transition_kind(clause: str) -> str:
    lowered = clause.lower()
    return next((kind for kind, words in _TRANSITION_KINDS if re.search(words, lowered)), "fade")


def edit_transitions(op: EditOp, work: Work) -> Outcome:
    """Add transitions between the main video's segments, or remove them."""
    video = work.video()
    if video is None:
        return Reply(say("nothing_to_edit", work.lang))
    index, segments = video
    off = _TRANSITION_OFF.search(op.clause) is not None
    if off:
        changed = [updated(s, transition=None) for s in segments]
        kind, length = None, 0
    else:
        durations = find_durations(op.clause)
        length = round(durations[0].seconds * 1000) if durations else TRANSITION_MS
        kind = _transition_kind(op.clause)
        changed = add_transitions(segments, kind, length)
    tracks = list(work.draft.tracks)
    tracks[index] = retracked(tracks[index], changed)
    draft = rebuild(work.draft, tracks)
    applied = sum(1 for s in changed if s.transition is not None)
    if not off and applied == 0:
        return Reply(say("transitions_need_two", work.lang), clarify=False)
    if off:
        text = say("transitions_off", work.lang)
    else:
        shown = pick(WORDS, kind or "fade", work.lang)
        ms = next((s.transition.duration for s in changed if s.transition), length)
        text = say("transitions_on", work.lang, type=shown, seconds=seconds_text(ms))
    args = {"operation": "set_transitions", "type": kind, "duration_ms": length if not off else 0}
    return Change(draft, work.canvas, args, {"transitions": applied}, text)
