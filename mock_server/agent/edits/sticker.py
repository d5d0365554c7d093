"""Stickers and emoji: "add a heart sticker", "put a star emoji in the top left", "add a
sticker", "加个爱心贴纸", "添加星星表情". A sticker is a symbol of the bundled font drawn
large in a corner on a text track named "Stickers"."""

from __future__ import annotations

import re

from nemo_mock.mock_server.agent.edit_types import Change, Outcome, Reply, Work
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, EditOp, words
from nemo_mock.mock_server.agent.parsing import find_durations, find_position, find_theme
from nemo_mock.mock_server.agent.timeline import clamp_ms, make_track, rebuild, retracked
from nemo_mock.mock_server.agent.wording import POSITION_LABELS, Language, pick, say, seconds_text
from nemo_mock.mock_server.domain.drafts import Segment, TrackType

# name -> (symbol, colour, English, Chinese, words that ask for it)
STICKERS: dict[str, tuple[str, str, str, str, str]] = {
    "heart": ("♥", "#FF4D6D", "heart", "爱心", r"hearts?|love|❤️?|♥|💕|💖|爱心|心形|红心"),
    "star": ("★", "#FFD700", "star", "星星", r"stars?|⭐|🌟|★|星星|五角星"),
    "note": ("♪", "#FFFFFF", "music note", "音符", r"(?:music(?:al)?\s+)?notes?|🎵|🎶|♪|音符"),
    "crown": ("♛", "#FFD700", "crown", "皇冠", r"crowns?|👑|皇冠"),
    "check": ("✔", "#34C759", "check mark", "对勾", r"check(?:\s*mark)?s?|tick|✅|✔|对勾|打勾"),
}
_STICKER = words(r"\b(?:stickers?|emojis?|emoticons?)\b|贴纸|表情|贴图")
_EMOJI = re.compile("[❤♥💕💖⭐🌟★🎵🎶♪👑✔]")
_NAMED = re.compile(r"([a-z]+)\s+(?:stickers?|emojis?)\b|([\u4e00-\u9fff]{2,4})(?:贴纸|表情)")
_GENERIC_TEXT = "a an the some one cute fun little small big nice another new more 一个 个 加个"
_GENERIC = frozenset(_GENERIC_TEXT.split())
_LEFT = words(r"\bleft\b|左")
_RIGHT = words(r"\bright\b|右")
SIZE_RATIO = 0.14


_PUT = words(r"\b(?:add|put|insert|place|stick|include|use|give)\b|加|添加|放|贴")


def detect(clause: Clause) -> bool:
    return clause.has(_STICKER) or (clause.has(_EMOJI) and clause.has(_PUT))


def _which(clause: str, theme: str | None) -> str | None:
    """The sticker asked for; the theme's when none is named; None for one we do not have."""
    for name, (*_, pattern) in STICKERS.items():
        if re.search(rf"(?<![a-z])(?:{pattern})(?![a-z])", clause):
            return name
    named = _NAMED.search(clause)
    word = (named.group(1) or named.group(2) or "") if named else ""
    if word and word not in _GENERIC and not word.endswith(("个", "加")):
        return None
    return "heart" if theme == "wedding" else "star"


def _corner(clause: str) -> tuple[str, str]:
    """(position, alignment): top right unless the clause says otherwise."""
    position = find_position(clause) or "top"
    if _LEFT.search(clause):
        return position, "left"
    if _RIGHT.search(clause) or position != "center":
        return position, "right"
    return position, "center"


def _place_label(position: str, side: str, lang: Language) -> str:
    where = pick(POSITION_LABELS, position, lang)
    if side == "center":
        return where
    sides = {"left": ("left", "左"), "right": ("right", "右")}[side]
    return f"{where}{sides[1]}侧" if lang == "zh" else f"{where} {sides[0]}"


def edit_sticker(op: EditOp, work: Work) -> Outcome:
    clause = op.clause.lower()
    name = _which(clause, find_theme(work.draft.meta.title or "") or find_theme(clause))
    if name is None:
        return Reply(say("sticker_ask", work.lang, choices=_choices(work.lang)))
    symbol, colour, en, zh, _ = STICKERS[name]
    total = work.draft.duration
    lengths = find_durations(clause)
    duration = min(total, clamp_ms(lengths[0].seconds * 1000)) if lengths else total
    position, side = _corner(clause)
    size = max(24, round(min(work.canvas) * SIZE_RATIO))
    segment = Segment.model_validate({
        "s": 0, "d": duration, "tx": symbol, "n": "Sticker", "pos": position, "al": side,
        "fs": size, "c": colour, "sh": True,
    })  # fmt: skip
    tracks = list(work.draft.tracks)
    index = next((i for i, t in enumerate(tracks) if (t.name or "") == "Stickers"), None)
    if index is None:
        tracks.append(make_track(TrackType.TEXT, "Stickers", [segment]))
    else:
        tracks[index] = retracked(tracks[index], [*tracks[index].segments, segment])
    draft = rebuild(work.draft, tracks)
    text = say(
        "sticker_added", work.lang, sticker=zh if work.lang == "zh" else en, symbol=symbol,
        where=_place_label(position, side, work.lang), start="0", end=seconds_text(duration),
    )  # fmt: skip
    args = {"operation": "add_sticker", "sticker": name, "position": position, "align": side}
    return Change(draft, work.canvas, args, {"track": "Stickers", "duration_ms": duration}, text)


def _choices(lang: Language) -> str:
    names = [f"{v[3] if lang == 'zh' else v[2]} {v[0]}" for v in STICKERS.values()]
    return ("、" if lang == "zh" else ", ").join(names)


KIND = EditKind(
    name="sticker",
    detect=detect,
    apply=edit_sticker,
    needs_content=True,
    alone=True,
    intent="sticker",
    examples=(
        "add a heart sticker",
        "put a star emoji in the top left",
        "add a sticker",
        "加个爱心贴纸",
        "在左上角添加星星表情",
    ),
    changes="a symbol (♥ ★ ♪ ♛ ✔) drawn large with a shadow in a corner (top right by default) "
    'on a text track named "Stickers"; one it does not have is asked about',
)
