"""Text style: "set the title color to gold", "make the title bigger", "use a different font
for the title", "make the captions bold", "add a shadow to the title", "标题改成金色"."""

from __future__ import annotations

import re
from typing import Any

from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, EditOp, words
from nemo_mock.mock_server.agent.edits.vocabulary import TEXT_WORDS
from nemo_mock.mock_server.agent.parsing import find_position, is_chinese
from nemo_mock.mock_server.agent.timeline import is_text, is_title, rebuild, retracked, updated
from nemo_mock.mock_server.agent.wording import POSITION_LABELS, Language, pick, say
from nemo_mock.mock_server.domain.drafts import Segment, Track

# name -> (hex, English, Chinese); Chinese names are matched as written.
COLOURS: dict[str, tuple[str, str, str]] = {
    "gold": ("#FFD700", "gold", "金色"), "golden": ("#FFD700", "gold", "金色"),
    "金": ("#FFD700", "gold", "金色"), "white": ("#FFFFFF", "white", "白色"),
    "白": ("#FFFFFF", "white", "白色"), "black": ("#000000", "black", "黑色"),
    "黑": ("#000000", "black", "黑色"), "red": ("#FF3B30", "red", "红色"),
    "红": ("#FF3B30", "red", "红色"), "yellow": ("#FFE066", "yellow", "黄色"),
    "黄": ("#FFE066", "yellow", "黄色"), "blue": ("#3B82F6", "blue", "蓝色"),
    "蓝": ("#3B82F6", "blue", "蓝色"), "green": ("#34C759", "green", "绿色"),
    "绿": ("#34C759", "green", "绿色"), "pink": ("#FF6FA8", "pink", "粉色"),
    "粉": ("#FF6FA8", "pink", "粉色"), "purple": ("#A855F7", "purple", "紫色"),
    "紫": ("#A855F7", "purple", "紫色"), "orange": ("#FF9500", "orange", "橙色"),
    "橙": ("#FF9500", "orange", "橙色"), "silver": ("#C0C0C0", "silver", "银色"),
    "银": ("#C0C0C0", "silver", "银色"), "grey": ("#9CA3AF", "grey", "灰色"),
    "gray": ("#9CA3AF", "grey", "灰色"), "灰": ("#9CA3AF", "grey", "灰色"),
}  # fmt: skip
_EN_COLOUR = re.compile(r"\b(" + "|".join(k for k in COLOURS if k.isascii()) + r")\b", re.I)
_ZH_COLOUR = re.compile(r"(" + "|".join(k for k in COLOURS if not k.isascii()) + r")色")
_HEX = re.compile(r"#[0-9a-f]{6}\b", re.I)
_BIGGER = words(
    r"\b(?:bigger|larger|enlarge|increase\s+the\s+(?:font\s+)?size)\b|大一点|放大|大一些|更大|加大"
)
_SMALLER = words(
    r"\b(?:smaller|shrink|decrease\s+the\s+(?:font\s+)?size)\b|小一点|缩小|小一些|更小"
)
_SIZE_PX = re.compile(
    r"\b(\d{1,3})\s*(?:px|pt|pixels?)\b|(?:size|字号)\s*(?:to|为|改为)?\s*(\d{1,3})", re.I
)
_SERIF = words(r"\bserif\b|\bclassic\s+font|\belegant\s+font|衬线|宋体")
_MONO = words(r"\b(?:mono(?:space)?|typewriter)\b|等宽|打字机")
_SANS = words(r"\bsans(?:-serif)?\b|\bdefault\s+font|黑体|无衬线")
_ANY_FONT = words(r"\b(?:fonts?|typeface)\b|字体")
_BOLD_OFF = words(
    r"\b(?:not\s+bold|unbold|no\s+bold|regular\s+weight)\b|取消加粗|不要加粗|去掉加粗"
)
_BOLD = words(r"\bbold(?:er)?\b|加粗|粗体")
_SHADOW_OFF = words(
    r"\b(?:no|without|remove(?:\s+the)?|turn\s+off(?:\s+the)?)\s+(?:\w+\s+)?shadows?\b|去掉阴影|不要阴影|取消阴影"
)
_SHADOW = words(r"\b(?:drop\s+)?shadows?\b|阴影")
_COLOUR_WORD = words(r"\bcolou?rs?\b|颜色")
_STYLE = words(
    r"\b(?:colou?rs?|bigger|larger|smaller|enlarge|shrink|size|fonts?|typeface|bold(?:er)?"
    r"|unbold|shadows?|serif|mono(?:space)?)\b|颜色|字体|字号|加粗|粗体|阴影|大一点|小一点|放大|缩小"
)
_TITLE = words(r"\b(?:titles?|heading|headline)\b|标题|片名")
FACES = ("sans", "serif", "mono")
_FACE_LABELS = {
    "sans": ("sans-serif", "无衬线"),
    "serif": ("serif", "衬线"),
    "mono": ("monospace", "等宽"),
}


def is_style_request(clause: Clause) -> bool:
    """Text named with style words (or a colour name), and no new text given."""
    colour = _EN_COLOUR.search(clause.text) or _ZH_COLOUR.search(clause.text)
    return clause.has(TEXT_WORDS) and (clause.has(_STYLE) or colour is not None)


def detect(clause: Clause) -> bool:
    return is_style_request(clause)


def _targets(work: Work, clause: str) -> list[tuple[int, int]]:
    """(track, segment) of the text to restyle: titles when named, else all text."""
    title_only = _TITLE.search(clause) is not None
    found = []
    for ti, track in enumerate(work.draft.tracks):
        if is_text(track) and (is_title(track) or not title_only) and not _is_sticker(track):
            found += [(ti, si) for si in range(len(track.segments))]
    return found


def _is_sticker(track: Track) -> bool:
    return (track.name or "").lower().startswith("sticker")


def _colour(clause: str, raw: str) -> tuple[str, str, str] | None:
    hexed = _HEX.search(raw)
    if hexed:
        value = hexed.group(0).upper()
        return (value, value, value)
    found = _EN_COLOUR.search(clause) or _ZH_COLOUR.search(clause)
    return COLOURS[found.group(1).lower()] if found else None


def _face(clause: str, current: str) -> str | None:
    for pattern, face in ((_SERIF, "serif"), (_MONO, "mono"), (_SANS, "sans")):
        if pattern.search(clause):
            return face
    if _ANY_FONT.search(clause):  # "a different font": the next bundled face
        return FACES[(FACES.index(current) + 1) % len(FACES)]
    return None


def _changes(op: EditOp, seg: Segment) -> dict[str, Any]:
    """The fields the clause asks to set on ``seg`` (long names)."""
    clause = op.clause.lower()
    fields: dict[str, Any] = {}
    colour = _colour(clause, op.raw)
    if colour:
        fields["color"] = colour[0]
    size = seg.font_size or 48
    px = _SIZE_PX.search(clause)
    if px:
        fields["font_size"] = min(400, max(8, int(px.group(1) or px.group(2))))
    elif _BIGGER.search(clause):
        fields["font_size"] = min(400, round(size * 1.3))
    elif _SMALLER.search(clause):
        fields["font_size"] = max(8, round(size / 1.3))
    face = _face(clause, seg.font or "sans")
    if face and not (face != "sans" and is_chinese(seg.text or "")):
        fields["font"] = face
    if _BOLD_OFF.search(clause):
        fields["bold"] = False
    elif _BOLD.search(clause):
        fields["bold"] = True
    if _SHADOW_OFF.search(clause):
        fields["shadow"] = False
    elif _SHADOW.search(clause):
        fields["shadow"] = True
    position = find_position(clause)
    if position:
        fields["position"] = position
    return fields


def _describe(fields: dict[str, Any], before: Segment, lang: Language, colour: str) -> list[str]:
    zh = lang == "zh"
    parts = []
    if "color" in fields:
        parts.append(f"颜色改为{colour}" if zh else f"colour {colour}")
    if "font_size" in fields:
        old, new = before.font_size or 48, fields["font_size"]
        parts.append(f"字号{old}→{new}px" if zh else f"size {old}→{new}px")
    if "font" in fields:
        en, cn = _FACE_LABELS[fields["font"]]
        parts.append(f"字体改为{cn}" if zh else f"{en} font")
    if "bold" in fields:
        parts.append(
            ("加粗" if fields["bold"] else "取消加粗")
            if zh
            else ("bold" if fields["bold"] else "regular weight")
        )
    if "shadow" in fields:
        parts.append(
            ("添加阴影" if fields["shadow"] else "去掉阴影")
            if zh
            else ("a drop shadow" if fields["shadow"] else "no shadow")
        )
    if "position" in fields:
        parts.append(
            ("位置" if zh else "position ") + pick(POSITION_LABELS, fields["position"], lang)
        )
    return parts


def edit_style(op: EditOp, work: Work) -> Outcome:
    """Restyle the title (when named) or every text; say exactly what changed."""
    targets = _targets(work, op.clause.lower())
    what = say("style_what_title" if _TITLE.search(op.clause) else "style_what_text", work.lang)
    if not targets:
        return Reply(say("style_no_text", work.lang, what=what))
    tracks = list(work.draft.tracks)
    described: list[str] = []
    changed = 0
    colour = _colour(op.clause.lower(), op.raw)
    colour_name = (colour[2] if work.lang == "zh" else colour[1]) if colour else ""
    for ti, si in targets:
        seg = tracks[ti].segments[si]
        fields = {k: v for k, v in _changes(op, seg).items() if _differs(seg, k, v)}
        if not fields:
            continue
        described = described or _describe(fields, seg, work.lang, colour_name)
        segments = list(tracks[ti].segments)
        segments[si] = updated(seg, **fields)
        tracks[ti] = retracked(tracks[ti], segments)
        changed += 1
    if not changed:
        return _unchanged(op, work, what)
    draft = rebuild(work.draft, tracks)
    sep = "，" if work.lang == "zh" else ", "
    text = say("style_set", work.lang, what=what, changes=sep.join(described), count=changed)
    args = {"operation": "style_text", "target": "title" if _TITLE.search(op.clause) else "text"}
    return Change(draft, work.canvas, args, {"segments": changed}, text)


def _differs(seg: Segment, key: str, value: Any) -> bool:
    current = getattr(seg, key)
    if key == "bold":
        return bool(current) != bool(value)
    if key == "font":
        return bool((current or "sans") != value)
    return bool(current != value)


def _unchanged(op: EditOp, work: Work, what: str) -> Reply:
    tracks = work.draft.tracks
    seg = tracks[_targets(work, op.clause.lower())[0][0]].segments[0]
    if not _changes(op, seg):
        face_blocked = _face(op.clause.lower(), seg.font or "sans") and is_chinese(seg.text or "")
        key = "style_no_cjk_font" if face_blocked else "style_ask"
        return Reply(say(key, work.lang, what=what))
    return Reply(say("style_same", work.lang, what=what), clarify=False)


KIND = EditKind(
    name="style",
    detect=detect,
    apply=edit_style,
    needs_content=False,
    alone=False,
    on_removal=True,
    intent="style",
    examples=(
        "set the title color to gold",
        "make the title bigger",
        "use a different font for the title",
        "make the captions bold",
        "add a shadow to the title",
        "标题改成金色",
        "标题字体加粗",
    ),
    changes="the text segments' style: `c` colour, `fs` size, `fn` font (sans, serif, mono; "
    "Chinese text stays sans), `b` bold, `sh` shadow, `pos`; the reply lists each change",
)
