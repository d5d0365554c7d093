"""Real copy for a generated video's title and overlays, from what the prompt and the uploads
say: the couple's names, the date and the place, the product and its kind, the file names.

In the session's language; where there is a choice of words it is made by a hash of the
prompt, so the same prompt always gets the same copy. A placeholder ("[Date]") only stands
where the prompt asks for a fact it does not give; then the reply asks for it.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from nemo_mock.mock_server.agent.parsing import find_date, find_names, find_theme
from nemo_mock.mock_server.agent.wording import THEME_TITLES, WORDS, Language, pick

_NAMES_ASKED = re.compile(r"\bnames?\b|名字|姓名", re.IGNORECASE)
_DATE_ASKED = re.compile(r"\bdates?\b|日期|时间", re.IGNORECASE)
_OVERLAYS_ASKED = re.compile(
    r"\b(?:text|texts|overlays?|captions?|subtitles?|lower\s+thirds?)\b|文字|字幕", re.IGNORECASE
)
_PLACE_EN = re.compile(
    r"\b(?:at|in)\s+(?:the\s+)?((?:[A-Z][\w'’-]+)(?:\s+(?:of\s+)?[A-Z][\w'’-]+){0,3})"
)
_PLACE_ZH = re.compile(r"在([\u4e00-\u9fff]{2,10}?)(?:举行|举办|见面|相聚|相见|结婚|等你|等您)")
_NOT_PLACES_TEXT = """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday mp4 hd the a an
"""
_NOT_PLACES = frozenset(_NOT_PLACES_TEXT.split())
_PRODUCT_EN = re.compile(
    r"\b(?:for|of|showing|featuring|about|launch(?:ing)?|introduc(?:e|ing))\s+(?:our|my|the|a|an)\s+"
    r"(?:new\s+)?((?:[\w-]+\s+){0,2}?[\w-]+?)(?=\s*(?:[,.;!?]|$|\s+(?:with|in|into|and|for|to|that|video|promo)\b))",
    re.IGNORECASE,
)
_PRODUCT_ZH = re.compile(
    r"(?:我们的|我的|新款|这款|这个)([\u4e00-\u9fff]{2,8}?)(?:的)?(?:宣传|推广|广告|视频|短片)"
)
_GENERIC_TEXT = """
    img image images photo photos pic pics picture pictures product products shot shots logo
    dsc dcim screenshot scan file video clip clips footage final edit copy new untitled picsart
    whatsapp
    front back side top detail closeup close up hero main banner promo videos these those
    them it this that my our your stuff things items
"""
_GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())
_FILE_STEM = re.compile(r"[^a-z]+")


@dataclass(frozen=True)
class TextPlan:
    """The texts a generated video gets: a title and overlays (placeholders when unknown)."""

    title: str
    overlays: tuple[str, ...]
    meta_title: str
    placeholders: bool
    ask: str = ""  # the wording key of a question for details the prompt did not give


def find_place(text: str) -> str | None:
    """A venue or town named with "at"/"in" ("at the Rosewood Hotel", "in Paris", "在上海举行")."""
    for m in _PLACE_EN.finditer(text):
        words = m.group(1).split()
        if words[0].lower() not in _NOT_PLACES and not find_date(m.group(1)):
            return m.group(1)
    zh = _PLACE_ZH.search(text)
    return zh.group(1) if zh else None


def find_product(text: str, filenames: Sequence[str] = ()) -> str | None:
    """The product a promo is for: named in the prompt, else the common word of the files."""
    m = _PRODUCT_EN.search(text)
    if m and not set(m.group(1).lower().split()) <= _GENERIC_WORDS:
        return m.group(1).strip()
    zh = _PRODUCT_ZH.search(text)
    if zh and zh.group(1) not in ("视频", "产品", "照片", "图片"):
        return zh.group(1)
    return subject_of_files(filenames)


def subject_of_files(filenames: Sequence[str]) -> str | None:
    """The word the file names share ("lamp_front.jpg", "lamp_side.jpg" → "Lamp"), if any."""
    counts: dict[str, int] = {}
    for name in filenames:
        stem = name.rsplit(".", 1)[0].lower()
        for word in dict.fromkeys(_FILE_STEM.split(stem)):
            if len(word) > 2 and word not in _GENERIC_WORDS:
                counts[word] = counts.get(word, 0) + 1
    if not counts:
        return None
    word, count = max(counts.items(), key=lambda item: (item[1], -len(item[0])))
    return word.capitalize() if count >= max(1, len(filenames) // 2) else None


def _choose(options: Sequence[str], text: str) -> str:
    return options[zlib.crc32(text.encode()) % len(options)]


_FEATURES = {
    "en": ("Designed for everyday life", "Quality you can feel", "Made to last"),
    "zh": ("精心设计，品质之选", "用心打造，经久耐用", "细节之处见品质"),
}


def plan_texts(
    text: str,
    quotes: Sequence[str],
    lang: Language,
    fallback_title: str,
    filenames: Sequence[str] = (),
) -> TextPlan:
    """What the title and overlays say, from the message, its quotes and the uploads' names."""
    theme = find_theme(text)
    if theme == "promo":
        return _promo(text, quotes, lang, filenames)
    names, date, place = find_names(text), find_date(text), find_place(text)
    themed = _themed(theme, lang, place)
    title = (
        quotes[0] if quotes else themed or names or subject_of_files(filenames) or fallback_title
    )
    overlays: list[str] = []
    missing = False
    if (names or _NAMES_ASKED.search(text)) and names != title:
        overlays.append(names or pick(WORDS, "names_placeholder", lang))
        missing = missing or names is None
    if date or _DATE_ASKED.search(text):
        overlays.append(date or pick(WORDS, "date_placeholder", lang))
        missing = missing or date is None
    if place and place != title:
        overlays.append(place)
    overlays.extend(quotes[1:])
    if not overlays and _OVERLAYS_ASKED.search(text):
        subject = subject_of_files(filenames)
        overlays = [subject] if subject else [pick(WORDS, "text_placeholder", lang)]
        missing = missing or subject is None
    if theme == "wedding" and overlays and not missing:
        overlays.append("诚邀您的光临" if lang == "zh" else "Join us")
    return TextPlan(
        title, tuple(overlays), names or title, missing, "ask_details" if missing else ""
    )


def _themed(theme: str | None, lang: Language, place: str | None) -> str | None:
    if theme == "travel" and place:
        return f"{place}之旅" if lang == "zh" else f"{place} Memories"
    return pick(THEME_TITLES, theme, lang) if theme in THEME_TITLES else None


def _promo(text: str, quotes: Sequence[str], lang: Language, filenames: Sequence[str]) -> TextPlan:
    product = find_product(text, filenames)
    zh = lang == "zh"
    if product:
        title = quotes[0] if quotes else (f"全新{product}" if zh else f"Introducing the {product}")
        headline = f"{product}，现已上市" if zh else f"Meet the new {product}"
    else:
        title = quotes[0] if quotes else ("全新系列" if zh else "New Collection")
        headline = "新品上市" if zh else "New arrivals"
    overlays: list[str] = []
    if _OVERLAYS_ASKED.search(text) or quotes[1:]:
        extra = list(quotes[1:])
        cta = "立即选购" if zh else "Shop now"
        overlays = extra or [headline, _choose(_FEATURES[lang], text), cta]
    ask = "" if product or quotes else "ask_product"
    return TextPlan(title, tuple(overlays), product or title, False, ask)
