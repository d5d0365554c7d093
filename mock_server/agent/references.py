"""Which timeline items a message points at: "the second clip", "photo 3", "最后一张照片"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from nemo_mock.mock_server.agent.numbers import chinese_number

RefKind = Literal["image", "clip", "any"]

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_KIND_WORDS: dict[str, RefKind] = {
    "photo": "image", "image": "image", "picture": "image", "pic": "image", "still": "image",
    "clip": "clip", "video": "clip", "footage": "clip",
    "segment": "any", "slide": "any", "shot": "any", "item": "any", "scene": "any",
    "one": "any", "file": "any", "part": "any",
}  # fmt: skip
_ZH_KINDS: dict[str, RefKind] = {
    "照片": "image", "图片": "image", "相片": "image", "图": "image",
    "视频": "clip", "片段": "any", "素材": "any", "镜头": "any", "场景": "any",
}  # fmt: skip
_KIND = (
    r"(?P<kind>photo|image|picture|pic|still|clip|video|footage|segment|slide|shot|item|scene"
    r"|one|file|part)s?\b"
)
_ORD = (
    r"(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
    r"|\d{1,3}(?:st|nd|rd|th))"
)
_NOT_A_LENGTH = r"(?!\s*(?:\d|s\b|secs?\b|seconds?\b|ms\b|minutes?\b|%))"
_EN_ORDINAL_RE = re.compile(
    rf"(?<!\d)(?<!\d )(?<!\d-)\b{_ORD}\b{_NOT_A_LENGTH}(?:\s+(?:\w+\s+)?{_KIND})?", re.IGNORECASE
)
_EN_NUMBERED_RE = re.compile(
    rf"\b{_KIND}\s*(?:#|no\.?\s*|number\s*)?(?P<num>\d{{1,3}})\b{_NOT_A_LENGTH}", re.IGNORECASE
)
_ZH_KIND = r"(?P<kind>照片|图片|相片|图|视频|片段|素材|镜头|场景)?"
_ZH_ORDINAL_RE = re.compile(
    rf"第\s*(?P<num>\d{{1,3}}|[一二两三四五六七八九十]+)\s*(?:个|张|段|条|幅|页)?\s*{_ZH_KIND}"
)
_ZH_LAST_RE = re.compile(rf"最后(?:\s*一?\s*(?:个|张|段|条|幅|页)|的)\s*{_ZH_KIND}")
_FIRST_N_RE = re.compile(
    r"\b(?P<end>first|last)\s+(?P<n>two|three|2|3)\b|(?P<zend>前|后|最后)\s*(?P<zn>两|二|三|2|3)\s*(?:个|张|段)"
)


@dataclass(frozen=True)
class SegmentRef:
    """The ``index``-th item of ``kind`` (0-based; -1 is the last)."""

    index: int
    kind: RefKind
    at: int  # where in the message it was found


def _is_destination(text: str, match: re.Match[str]) -> bool:
    """ "put the clip first": a bare ordinal ending the sentence says where, not which."""
    after_the = re.search(r"\bthe\s+$", text[: match.start()], re.IGNORECASE) is not None
    return not after_the and not text[match.end() :].strip(" .,!?;")


def _en_index(word: str) -> int:
    word = word.lower()
    if word in ("last", "final"):
        return -1
    if word in _ORDINALS:
        return _ORDINALS[word] - 1
    return int(re.sub(r"\D", "", word)) - 1


def find_refs(text: str) -> list[SegmentRef]:
    """Item references in the order they appear; a reference without a kind borrows the next."""
    refs: list[SegmentRef] = []
    for m in _EN_ORDINAL_RE.finditer(text):
        kind = _KIND_WORDS[m.group("kind").lower()] if m.group("kind") else None
        if kind is None and _is_destination(text, m):
            continue
        refs.append(SegmentRef(_en_index(m.group("ord")), kind or "any", m.start()))
    for m in _EN_NUMBERED_RE.finditer(text):
        refs.append(
            SegmentRef(int(m.group("num")) - 1, _KIND_WORDS[m.group("kind").lower()], m.start())
        )
    for m in _ZH_ORDINAL_RE.finditer(text):
        raw = m.group("num")
        number = int(raw) if raw.isdigit() else chinese_number(raw)
        kind = _ZH_KINDS.get(m.group("kind") or "", "any")
        if number:
            refs.append(SegmentRef(number - 1, kind, m.start()))
    for m in _ZH_LAST_RE.finditer(text):
        refs.append(SegmentRef(-1, _ZH_KINDS.get(m.group("kind") or "", "any"), m.start()))
    refs = sorted((r for r in refs if r.index >= -1), key=lambda r: r.at)
    return _borrow_kinds(refs, text)


def _borrow_kinds(refs: list[SegmentRef], text: str) -> list[SegmentRef]:
    """ "the first and third photos": the first ref takes the kind named after it."""
    result = []
    for i, ref in enumerate(refs):
        kind = ref.kind
        if kind == "any":
            later = [r.kind for r in refs[i + 1 :] if r.kind != "any"]
            kind = later[0] if later else _kind_after(text, ref.at)
        result.append(SegmentRef(ref.index, kind, ref.at))
    return result


def _kind_after(text: str, at: int) -> RefKind:
    m = re.search(_KIND, text[at:], re.IGNORECASE)
    return _KIND_WORDS[m.group("kind").lower()] if m else "any"


_KIND_MENTION_RE = re.compile(
    r"\b(?:the|this|that|my)\s+(?:[\w-]+\s+)?(?P<kind>photo|image|picture|clip|video)\b"
    r"|(?P<zh>照片|图片|视频片段|片段)",
    re.IGNORECASE,
)


def find_kind_mention(text: str) -> SegmentRef | None:
    """ "the clip" with no ordinal: the first item of that kind."""
    m = _KIND_MENTION_RE.search(text)
    if not m:
        return None
    kind = (
        _KIND_WORDS[m.group("kind").lower()]
        if m.group("kind")
        else _ZH_KINDS.get(m.group("zh"), "any")
    )
    return SegmentRef(0, kind, m.start())


def find_first_n(text: str) -> tuple[int, int] | None:
    """ "the first two" → (0, 1); "the last two" → (-2, -1); "前两个" → (0, 1)."""
    m = _FIRST_N_RE.search(text)
    if not m:
        return None
    end = m.group("end") or m.group("zend")
    last = end in ("last", "后", "最后")
    n = 3 if (m.group("n") or m.group("zn")) in ("three", "3", "三") else 2
    return (-2, -1) if last else (0, 1) if n == 2 else (0, 2)


def resolve(ref: SegmentRef, kinds: Sequence[str]) -> int | None:
    """The track index ``ref`` points at, given each segment's kind ("image"/"clip").

    A kind with too few items falls back to counting every segment ("the second clip" on a
    timeline of photos means its second item).
    """
    candidates = [i for i, kind in enumerate(kinds) if ref.kind in ("any", kind)]
    if ref.kind != "any" and (ref.index >= len(candidates) or not candidates):
        candidates = list(range(len(kinds)))
    if not candidates:
        return None
    index = ref.index if ref.index >= 0 else len(candidates) + ref.index
    return candidates[index] if 0 <= index < len(candidates) else None
