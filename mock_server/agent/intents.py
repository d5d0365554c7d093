"""What a message asks for: a generation, a script, a list of edits, a chat topic, or nothing.

Classification is keyword based (English and Chinese) and runs on the message with its
quoted strings masked, so quoted titles never trigger commands. A message that is not a
generation is split into clauses ("add lo-fi music and put a title 'X' at the end"), and
each clause yields zero or more edit operations: the edit kinds of ``edits/registry.py``
that detect it, in the registry's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from nemo_mock.mock_server.agent.edits.kind import EditOp
from nemo_mock.mock_server.agent.edits.registry import clause_kinds
from nemo_mock.mock_server.agent.parsing import Masked, mask_quotes, word_count

Kind = Literal["generate", "script", "edits", "chat", "clarify"]


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
#: The vendor CLI's ``create`` brief: the prompt, then ". Duration: N seconds" (and
#: ". Aspect ratio: R"). A brief with a length is a request for a new video.
_CREATE_BRIEF = _re(r"(?:^|[.!?]\s+)Duration:\s*\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)\b")
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
# "videos" names uploads only after a word that points at them ("my videos", "these videos");
# "invitation videos", "shareable videos" are what the user wants made
_CLIP_WORDS = _re(
    r"\b(?:clips?|footage)\b|\b(?:my|our|these|those|the|your)\s+(?:[\w-]+\s+)?videos\b"
    r"|视频片段|片段"
)

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
class Classification:
    kind: Kind
    masked: Masked
    ops: tuple[EditOp, ...] = ()
    topic: str = ""


# --------------------------------------------------------------------------- generation


def is_generation(masked_text: str) -> bool:
    if _GEN_ZH.search(masked_text) or _REGENERATE.search(masked_text):
        return True
    if _CREATE_BRIEF.search(masked_text):
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


def edit_ops(masked: Masked) -> tuple[EditOp, ...]:
    ops: list[EditOp] = []
    for clause in split_clauses(masked.text):
        for kind in clause_kinds(clause.lower()):
            quotes, raw = masked.quotes_in(clause), masked.restore(clause)
            ops.append(EditOp(kind.name, clause, quotes, raw, kind.intent))
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
