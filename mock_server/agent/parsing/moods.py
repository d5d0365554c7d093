"""Music moods and what a video is about (its theme), and the mood a theme suggests."""

from __future__ import annotations

import re

_MOOD_WORDS: tuple[tuple[str, str], ...] = (
    ("lofi", r"lo-?\s?fi|chill(?:ed|hop|out)?|jazzy|low-?\s?fi|低保真|轻松|慵懒"),
    ("romantic", r"romantic|romance|love|sweet|浪漫|爱情|甜蜜|温馨"),
    ("upbeat", r"upbeat|energetic|energy|happy|cheerful|fun|lively|pop|dance"
               r"|欢快|动感|活力|轻快|激情|热闹"),
    ("cinematic", r"cinematic|epic|dramatic|orchestral|trailer|inspiring|史诗|电影感|大气|震撼"),
    ("calm", r"calm|relaxing|relaxed|peaceful|soft|gentle|ambient|soothing|quiet|piano"
             r"|平静|舒缓|安静|柔和|治愈|宁静"),
)  # fmt: skip
_THEMES: tuple[tuple[str, str], ...] = (
    ("wedding", r"wedding|marriage|marry|bride|groom|invitation|invite|engagement"
                r"|婚礼|结婚|婚|请柬|喜帖|请帖"),
    ("birthday", r"birthday|生日"),
    ("new_year", r"new\s+year|新年|春节|过年"),
    ("promo", r"promo|promotion|promotional|product|marketing|advert|\bads?\b|commercial"
              r"|sale|launch|brand|宣传|推广|产品|广告|促销|营销"),
    ("travel", r"travel|trip|vacation|holiday|journey|adventure|旅行|旅游|度假|旅拍"),
    ("nature", r"sunset|sunrise|ocean|sea|beach|forest|nature|mountain|landscape|timelapse"
               r"|time-lapse|日落|夕阳|大海|森林|风景|自然|延时"),
    ("city", r"city|urban|night|street|neon|城市|夜景|街头"),
)  # fmt: skip
THEME_MOODS: dict[str, str] = {
    "wedding": "romantic",
    "birthday": "upbeat",
    "new_year": "upbeat",
    "promo": "upbeat",
    "travel": "cinematic",
    "nature": "calm",
    "city": "lofi",
}
DEFAULT_MOOD = "upbeat"


def find_mood(text: str) -> str | None:
    """A music mood named explicitly (romantic, lo-fi, upbeat, cinematic, calm, or synonyms)."""
    lowered = text.lower()
    for mood, words in _MOOD_WORDS:
        if re.search(rf"(?<![a-z])(?:{words})(?![a-z])", lowered):
            return mood
    return None


def find_theme(text: str) -> str | None:
    """What the video is about (wedding, birthday, new_year, promo, travel, nature, city)."""
    lowered = text.lower()
    for theme, words in _THEMES:
        if re.search(rf"(?<![a-z])(?:{words})(?![a-z])", lowered):
            return theme
    return None


def mood_for(text: str) -> str:
    """The mood named in ``text``, else the one its theme suggests, else the default."""
    theme = find_theme(text)
    return find_mood(text) or (THEME_MOODS[theme] if theme else DEFAULT_MOOD)
