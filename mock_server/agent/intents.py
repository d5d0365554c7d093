"""What a message asks for: a generation, a script, a list of edits, a chat topic, or nothing.

Classification is keyword based (English and Chinese) and runs on the message with its
quoted strings masked, so quoted titles never trigger commands. A message that is not a
generation is split into clauses ("add lo-fi music and put a title 'X' at the end"), and
each clause yields zero or more edit operations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mock_server.agent.parsing import (
    Masked,
    find_aspect,
    find_durations,
    find_mood,
    mask_quotes,
    word_count,
)
from mock_server.agent.references import find_first_n, find_kind_mention, find_refs

Kind = Literal["generate", "script", "edits", "chat", "clarify"]
OpKind = Literal[
    "remove", "reorder", "canvas", "music", "volume", "text", "transition", "each_duration",
    "total_length",
]  # fmt: skip
OP_INTENTS: dict[str, str] = {
    "remove": "remove", "reorder": "reorder", "canvas": "canvas", "music": "music",
    "volume": "volume", "text": "text", "transition": "transition", "each_duration": "duration",
    "total_length": "duration",
}  # fmt: skip


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --------------------------------------------------------------------------- vocabulary

_GEN_VERB = (
    r"(?:creat(?:e|ing)|mak(?:e|ing)|generat(?:e|ing)|turn(?:ing)?|convert(?:ing)?"
    r"|produc(?:e|ing)|build(?:ing)?|compil(?:e|ing)|combin(?:e|ing)|assembl(?:e|ing)|craft"
    r"|put\s+together|regenerate|remake|redo|render\s+me)"
)
_VIDEO_NOUN = (
    r"(?:videos?|slideshow|slide\s*show|montage|mp4|movie|reel|film|timelapse|time-lapse|clip"
    r"|animation|invitation|invite|promo|trailer|vlog|teaser|recap)"
)
_NOT_A_LINK = r"(?!(?:the|this|that|for|to|in|on|at|from|with|of|into)\b)"
_NOT_A_DETERMINER = r"(?!(?:the|this|that|it|its|each|every|all)\b)"
_GEN_EN = _re(
    rf"\b{_GEN_VERB}\b(?:[^.!?;\n]{{0,120}}?\b(?:a|an|one|into|some|new|me|us)\s+"
    rf"(?:{_NOT_A_LINK}[\w'’-]+,?\s+){{0,6}}?|\s+(?:{_NOT_A_DETERMINER}[\w-]+\s+){{0,4}}?)"
    rf"{_VIDEO_NOUN}\b"
)
_REGENERATE = _re(r"\b(?:regenerate|remake|redo)\b|重新生成|重新制作|重做")
_NOT_GEN_EN = _re(
    r"\b(?:make|turn|convert|change|set)\s+(?:it|that|the\s+(?:video|clip|timeline|project|movie))\b"
    r"|\b(?:make|turn|convert)\s+this\b(?!\s+(?:script|text|story|post|blog|article|copy|essay))"
)
_GEN_ZH = re.compile(
    r"(?:生成|制作|创建|创作|合成|剪辑成|做成|制成|变成|转成|转换成|做一个|做个|做一段|做一支|来一个|来个|来一段|重新生成)"
    r"[^。！？；\n]{0,20}?(?:视频|短片|影片|幻灯片|mp4|MP4|相册|动画|片子|vlog|宣传片|请柬|邀请函)"
)
_SCRIPT_WORDS = _re(
    r"\b(?:script|screenplay|blog\s+post|article|voice-?over|voice\s+over|narration|narrated"
    r"|narrator)\b|脚本|文案|稿子|旁白|配音|解说"
)
_UPLOAD_REFERENCE = _re(
    r"\b(?:these|those|my|our|the|uploaded|attached|above)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:photos?|images?|pictures?|pics|clips?|footage|videos|files|media|shots)\b"
    r"|照片|图片|相片|素材|上传的|这些"
)
_IMAGE_WORDS = _re(r"\b(?:photos?|images?|pictures?|pics|stills)\b|照片|图片|相片")
_CLIP_WORDS = _re(r"\b(?:clips?|footage|videos)\b|视频片段|片段")

_EDIT_VERBS = (
    r"add|put|insert|include|place|remove|delete|drop|make|change|set|switch|move|swap|use|"
    r"replace|turn|mute|increase|decrease|lower|raise|reduce|boost|shorten|extend|lengthen|"
    r"trim|apply|give|reverse|reorder|rearrange|also|then|please"
)
_ZH_EDIT_VERBS = r"加|添加|删除|去掉|删掉|改|换|把|调|设置|移|放|给|用|再|也|还"
_CLAUSE_SPLIT = re.compile(
    r"(?<!\d)[.!?](?=\s|$)|[;；。！？\n]+"
    rf"|,?\s+(?:and\s+)?then\s+|,?\s+and\s+(?=(?:also\s+)?(?:{_EDIT_VERBS})\b)"
    rf"|,\s*(?=(?:{_EDIT_VERBS})\b)|然后|接着|并且|同时|[，,、]\s*(?=(?:{_ZH_EDIT_VERBS}))",
    re.IGNORECASE,
)

_REMOVE = _re(
    r"\b(?:remove|delete|get\s+rid\s+of|take\s+(?:out|off|away)|erase|cut\s+out|strip)\b"
    r"|(?<!and\s)\bdrop\b|\bclear\s+(?:the\s+)?(?:music|text|title|transitions)"
    r"|\b(?:no|without)\s+(?:background\s+)?(?:music|bgm|title|text|transitions?|voice-?over)\b"
    r"|删除|去掉|删掉|移除|去除|拿掉|不要|取消|删"
)
_REORDER = _re(
    r"\b(?:move|swap|switch|exchange|reverse|reorder|rearrange|put)\b"
    r"|移到|挪到|放到|调到|交换|调换|互换|对调|倒序|反转|颠倒|倒过来|反过来"
)
_REVERSE = _re(r"\breverse\b|倒序|反转|颠倒|倒过来|反过来")
_TEXT_WORDS = _re(
    r"\b(?:titles?|heading|headline|captions?|subtitles?|texts?|overlays?|words|lower\s+third"
    r"|names?|date|tagline|slogan)\b|标题|字幕|文字|文本|标语|片名|名字|姓名|日期"
)
_WRITE_VERBS = _re(r"\b(?:add|put|write|show|display|insert|say|saying)\b|加|写|显示|添加")
_MUSIC_WORDS = _re(
    r"\b(?:music|bgm|songs?|soundtrack|tune|melody|background\s+track|beats?)\b"
    r"|音乐|配乐|背景乐|歌曲|歌|曲子"
)
_MUSIC_CHANGE = _re(
    r"\b(?:add|use|change|replace|switch|swap|put|give|play|try|want|need|include|pick|choose"
    r"|different|another|new|with)\b|加|添加|换|用|改成|改为|来点|来一首|配上|配"
)
_PICK_MUSIC = _re(
    r"\b(?:add|use|replace|switch|swap|different|another|new|my|uploaded|own)\b"
    r"|加|换成|换一首|换个|用|来点|配上|上传|我的"
)
_OWN_MUSIC_HINT = _re(r"\b(?:my|uploaded|own)\b|上传|我的")
_LOUD_WORDS = _re(
    r"\b(?:louder|quieter|softer|volume|mute|unmute|silence|too\s+loud|too\s+quiet)\b"
    r"|音量|大声|小声|静音|太吵|太响"
)
_LOUD_VERBS = _re(
    r"\b(?:lower(?!\s+third)|raise|increase|decrease|reduce|boost"
    r"|turn\s+(?:[\w-]+\s+){0,3}?(?:up|down))\b"
    r"|调大|调小|大一点|小一点|轻一点|响一点|降低|提高|调低|调高"
)
_SOUND_NOUNS = _re(
    r"\b(?:music|bgm|song|sound|audio|voice|voice-?over|narration)\b"
    r"|音乐|声音|原声|配音|音频|配乐"
)
_PERCENT_SIGN = re.compile(r"\d\s*(?:%|％|percent)|百分之")
_TRANSITION = _re(
    r"\b(?:transitions?|crossfades?|cross-fades?|dissolves?|wipes?|fades?\s+between)\b"
    r"|转场|过渡|淡入淡出"
)
_EACH = _re(
    r"\b(?:each|every|per|all(?:\s+the)?)\s+(?:[\w-]+\s+)?(?:photos?|images?|pictures?|pics?"
    r"|clips?|segments?|slides?|shots?|scenes?|items?|ones?)\b"
    r"|\b(?:photos?|images?|pictures?|clips?|segments?|slides?|shots?|scenes?)\s+(?:[\w-]+\s+){0,4}?each\b"
    r"|每(?:一)?(?:张|个|段|幅|页)"
)
_LENGTH_CUE = _re(
    r"\b(?:make|set|change|cut|trim|shorten|extend|lengthen|reduce|increase|stretch|limit|keep"
    r"|long|length|duration|total|shorter|longer)\b"
    r"|时长|总长|长度|改成|改为|变成|缩短|延长|剪成|剪到|调整为|调成|控制在|设为|设置为"
)

_CHAT_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("undo", _re(r"\bundo\b|撤销|撤回")),
    ("export", _re(r"\b(?:export|download|render|send\s+me\s+the\s+video)\b|导出|下载|渲染")),
    (
        "credits",
        _re(
            r"\b(?:credits?|balance|billing|cost|costs|price|pricing|subscription|how\s+much)\b"
            r"|积分|余额|费用|价格|多少钱"
        ),
    ),
    (
        "status",
        _re(r"\b(?:status|show\s+(?:me\s+)?(?:the\s+)?(?:tracks|timeline|draft))\b|状态|轨道"),
    ),
    ("upload", _re(r"\bupload\b|上传")),
    (
        "greeting",
        _re(r"^\W*(?:hi|hello|hey|howdy|good\s+(?:morning|afternoon|evening))\b|你好|您好|嗨|哈喽"),
    ),
    ("thanks", _re(r"\b(?:thanks|thank\s+you|thx)\b|谢谢|多谢")),
)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class EditOp:
    """One edit asked for in a clause of the message."""

    kind: OpKind
    clause: str  # the clause, quotes masked
    quotes: tuple[str, ...]  # quoted strings of this clause
    raw: str  # the clause with quotes restored

    @property
    def intent(self) -> str:
        return OP_INTENTS[self.kind]


@dataclass(frozen=True)
class Classification:
    kind: Kind
    masked: Masked
    ops: tuple[EditOp, ...] = ()
    topic: str = ""


# --------------------------------------------------------------------------- generation


def is_generation(masked_text: str) -> bool:
    if _GEN_ZH.search(masked_text) or _REGENERATE.search(masked_text):
        return True
    match = _GEN_EN.search(masked_text)
    return match is not None and not _NOT_GEN_EN.search(masked_text[: match.end()])


def split_script(text: str) -> tuple[str, str]:
    """(instruction, script body) of a message that pastes a script after or before a request."""
    sentences = [s for s in re.split(r"(?<=[.!?。！？])\s+|\n+", text) if s.strip()]
    instruction: list[str] = []
    body: list[str] = []
    for sentence in sentences:
        if not instruction and (_SCRIPT_WORDS.search(sentence) or is_generation(sentence)):
            head, tail = _split_colon(sentence)
            instruction.append(head)
            if tail.strip():
                body.append(tail.strip())
        else:
            body.append(sentence.strip())
    return " ".join(instruction), " ".join(body)


def _split_colon(sentence: str) -> tuple[str, str]:
    parts = re.split(r"[:：]", sentence, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def is_script(text: str) -> bool:
    instruction, body = split_script(text)
    return (
        bool(instruction)
        and _SCRIPT_WORDS.search(instruction) is not None
        and word_count(body) >= 40
    )


def mentions_script(text: str) -> bool:
    return _re(r"\bscript\b|脚本|文案").search(text) is not None


def refers_to_uploads(text: str) -> bool:
    return _UPLOAD_REFERENCE.search(text) is not None


def media_filter(text: str) -> str:
    """Which uploads a generation asks for: "images", "clips" or "all"."""
    images, clips = bool(_IMAGE_WORDS.search(text)), bool(_CLIP_WORDS.search(text))
    if images and not clips:
        return "images"
    if clips and not images:
        return "clips"
    return "all"


# --------------------------------------------------------------------------- edits


def split_clauses(masked_text: str) -> list[str]:
    return [c.strip(" ,，、") for c in _CLAUSE_SPLIT.split(masked_text) if c and c.strip(" ,，、")]


def _has(pattern: re.Pattern[str], text: str) -> bool:
    return pattern.search(text) is not None


def _is_volume(clause: str, music: bool) -> bool:
    """Loudness words, and (for music) no sign of picking different music."""
    loud = _has(_LOUD_WORDS, clause) or (
        (_has(_LOUD_VERBS, clause) or _PERCENT_SIGN.search(clause) is not None)
        and _has(_SOUND_NOUNS, clause)
    )
    if not loud or not music:
        return loud
    return find_mood(clause) is None and not _has(_PICK_MUSIC, clause)


def _clause_ops(clause: str) -> list[OpKind]:
    if _has(_REMOVE, clause):
        return ["transition"] if _only_transitions(clause) else ["remove"]
    refs = find_refs(clause) or find_first_n(clause) or _moved_kind(clause)
    if (
        _has(_REORDER, clause)
        and not _has(_TEXT_WORDS, clause)
        and (refs or _has(_REVERSE, clause))
    ):
        return ["reorder"]
    ops: list[OpKind] = []
    if find_aspect(clause) is not None:
        ops.append("canvas")
    music = _has(_MUSIC_WORDS, clause)
    if _is_volume(clause, music):
        ops.append("volume")
    elif music and (
        _has(_MUSIC_CHANGE, clause) or find_mood(clause) or _has(_OWN_MUSIC_HINT, clause)
    ):
        ops.append("music")
    has_quote = "\ue000" in clause
    if _has(_TEXT_WORDS, clause) or (has_quote and _has(_WRITE_VERBS, clause)):
        ops.append("text")
    if _has(_TRANSITION, clause):
        ops.append("transition")
    ops.extend(_duration_ops(clause, ops))
    return ops


_PLACE_WORDS = _re(r"\b(?:start|beginning|front|first|end|last)\b|开头|最前|结尾|最后")


def _moved_kind(clause: str) -> bool:
    return find_kind_mention(clause) is not None and _has(_PLACE_WORDS, clause)


def _only_transitions(clause: str) -> bool:
    return _has(_TRANSITION, clause) and not (
        _has(_MUSIC_WORDS, clause) or _has(_TEXT_WORDS, clause) or find_refs(clause)
    )


def _duration_ops(clause: str, ops: list[OpKind]) -> list[OpKind]:
    if not find_durations(clause) or "transition" in ops:
        return []
    if _has(_EACH, clause):
        return ["each_duration"]
    if "text" in ops or "music" in ops:
        return []
    stripped = re.sub(r"[\W\d_]+", " ", clause).split()
    if _has(_LENGTH_CUE, clause) or len(stripped) <= 3:
        return ["total_length"]
    return []


def edit_ops(masked: Masked) -> tuple[EditOp, ...]:
    ops: list[EditOp] = []
    for clause in split_clauses(masked.text):
        for kind in _clause_ops(clause.lower()):
            ops.append(EditOp(kind, clause, masked.quotes_in(clause), masked.restore(clause)))
    return tuple(ops)


def chat_topic(masked_text: str) -> str:
    return next((topic for topic, pattern in _CHAT_TOPICS if pattern.search(masked_text)), "")


# --------------------------------------------------------------------------- entry point


def classify(message: str) -> Classification:
    """Decide what ``message`` asks for."""
    masked = mask_quotes(message)
    if is_script(message):
        return Classification("script", masked)
    if is_generation(masked.text):
        kind: Kind = "script" if mentions_script(masked.text) else "generate"
        return Classification(kind, masked)
    ops = edit_ops(masked)
    if ops:
        return Classification("edits", masked, ops)
    topic = chat_topic(masked.text)
    return Classification("chat" if topic else "clarify", masked, topic=topic)
