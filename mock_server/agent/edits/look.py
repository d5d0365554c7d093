"""Brightness, contrast, saturation and look filters: "make it brighter", "increase the
contrast", "make the second photo black and white", "add a warm filter", "调亮一点", "黑白"."""

from __future__ import annotations

from typing import Any

from nemo_mock.mock_server.agent.edit_arrange import with_video
from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, EditOp, words
from nemo_mock.mock_server.agent.edits.targets import pointed_items
from nemo_mock.mock_server.agent.timeline import updated
from nemo_mock.mock_server.agent.wording import Language, say

STEP = 25
# (field, pattern, step) in the order they are read
_ADJUST: tuple[tuple[str, Any, int], ...] = (
    (
        "brightness",
        words(r"\b(?:brighter|brighten|lighter|more\s+bright)\b|调亮|亮一点|亮一些|提亮|更亮"),
        STEP,
    ),
    (
        "brightness",
        words(r"\b(?:darker|darken|dimmer|less\s+bright)\b|调暗|暗一点|暗一些|更暗"),
        -STEP,
    ),
    (
        "contrast",
        words(
            r"\b(?:more|increase|higher|boost|raise)\s+(?:the\s+)?contrast\b|\bcontrast\s+up\b|对比度高|提高对比度|增加对比度|加强对比"
        ),
        STEP,
    ),
    (
        "contrast",
        words(r"\b(?:less|decrease|lower|reduce)\s+(?:the\s+)?contrast\b|降低对比度|减少对比度"),
        -STEP,
    ),
    (
        "saturation",
        words(
            r"\b(?:more\s+(?:saturated|saturation|vivid|colou?rful)|saturate|vivid|vibrant|increase\s+(?:the\s+)?saturation)\b|鲜艳|饱和度高|提高饱和度|增加饱和度"
        ),
        30,
    ),
    (
        "saturation",
        words(
            r"\b(?:less\s+(?:saturated|saturation|colou?rful)|desaturate|muted|washed[\s-]out|decrease\s+(?:the\s+)?saturation)\b|降低饱和度|淡一点"
        ),
        -30,
    ),
)
_FILTERS: tuple[tuple[str, Any], ...] = (
    (
        "bw",
        words(
            r"\bblack\s*(?:and|&|-)\s*white\b|\bb\s*&\s*w\b|\b(?:monochrome|grayscale|greyscale)\b|黑白"
        ),
    ),
    ("warm", words(r"\bwarm(?:er)?\b|暖色|暖调|暖一点")),
    (
        "cool",
        words(
            r"\b(?:cool(?:er)?|cold(?:er)?)\s+(?:filter|tone|look|colou?rs?)\b|\bcooler\b|冷色|冷调|冷一点"
        ),
    ),
)
_OFF = words(
    r"\b(?:remove|no|without|reset|clear|original)\b.*\b(?:filters?|colou?rs?|look)\b|去掉滤镜|取消滤镜|原色|恢复原"
)
_FILTER_WORD = words(r"\bfilters?\b|滤镜")
_LABELS: dict[str, tuple[str, str]] = {
    "bw": ("a black-and-white filter", "黑白滤镜"),
    "warm": ("a warm filter", "暖色滤镜"),
    "cool": ("a cool filter", "冷色滤镜"),
}


def detect(clause: Clause) -> bool:
    found = [p for _, p, _ in _ADJUST] + [p for _, p in _FILTERS]
    wanted = any(clause.has(p) for p in found) and clause.asks
    return wanted or (clause.has(_OFF) and clause.has(_FILTER_WORD))


def _fields(clause: str, seg: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for field, pattern, step in _ADJUST:
        if field not in fields and pattern.search(clause):
            fields[field] = max(-100, min(100, (getattr(seg, field) or 0) + step))
    for name, pattern in _FILTERS:
        if pattern.search(clause):
            fields["look"] = name
            break
    if _OFF.search(clause):
        fields = {"look": None, "brightness": None, "contrast": None, "saturation": None}
    return fields


def _describe(fields: dict[str, Any], lang: Language) -> str:
    zh = lang == "zh"
    parts = []
    if "look" in fields and fields["look"] is None:
        return (
            "恢复了原始颜色（去掉滤镜和调色）"
            if zh
            else "restored the original colours (no filter or adjustments)"
        )
    names = {"brightness": ("brightness", "亮度"), "contrast": ("contrast", "对比度"),
             "saturation": ("saturation", "饱和度")}  # fmt: skip
    for field in ("brightness", "contrast", "saturation"):
        if field in fields:
            en, cn = names[field]
            value = fields[field]
            parts.append(f"{cn}调到{value:+d}" if zh else f"{en} set to {value:+d}")
    if fields.get("look"):
        en, cn = _LABELS[fields["look"]]
        parts.append(f"应用了{cn}" if zh else f"applied {en}")
    return ("，" if zh else ", ").join(parts)


def edit_look(op: EditOp, work: Work) -> Outcome:
    """Adjust the colours of the items named (every item by default)."""
    items = pointed_items(op, work)
    if isinstance(items, Reply):
        return items
    clause = op.clause.lower()
    segments = list(items.segments)
    described = ""
    for i in items.chosen:
        fields = _fields(clause, segments[i])
        changed = {k: v for k, v in fields.items() if getattr(segments[i], k) != v}
        if changed:
            described = described or _describe(fields, work.lang)
            segments[i] = updated(segments[i], **changed)
    if segments == items.segments:
        return Reply(say("look_same", work.lang, what=items.label), clarify=False)
    draft = with_video(work, items.track, segments)
    text = say("look_set", work.lang, what=items.label, changes=described)
    args = {
        "operation": "adjust_colour",
        "indices": items.chosen,
        **_fields(clause, items.segments[items.chosen[0]]),
    }
    return Change(draft, work.canvas, args, {"segments": len(items.chosen)}, text)


KIND = EditKind(
    name="look",
    detect=detect,
    apply=edit_look,
    needs_content=True,
    on_removal=True,
    intent="look",
    examples=(
        "make it brighter",
        "increase the contrast",
        "make the second photo black and white",
        "add a warm filter",
        "调亮一点",
        "把视频变成黑白",
    ),
    changes="`br`/`ct`/`sat` (steps of 25, 25, 30 in −100…100) or `flt` (`bw`, `warm`, "
    '`cool`) on the items named, every item by default; "remove the filter" clears them',
)
