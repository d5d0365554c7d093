"""Facts found in a message: durations, quoted text, names, dates, moods, aspect, volume.

Every function is pure and works on English and Chinese. Functions that return positions
do so for the text they were given, so callers can mask or slice it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mock_server.agent.numbers import CN_NUMBER, EN_NUMBER, to_number

Orientation = Literal["portrait", "landscape", "square"]
Position = Literal["top", "center", "bottom"]

MAX_SECONDS = 900.0

# --------------------------------------------------------------------------- quotes

_QUOTE_RE = re.compile(
    r"“(?P<a>[^”\n]{1,300})”"
    r"|‘(?P<b>[^’\n]{1,300})’"
    r"|「(?P<c>[^」\n]{1,300})」"
    r"|『(?P<d>[^』\n]{1,300})』"
    r"|《(?P<e>[^》\n]{1,300})》"
    r"|\"(?P<f>[^\"\n]{1,300})\""
    r"|(?<![A-Za-z0-9])'(?P<g>[^'\n]{1,300}?)'(?![A-Za-z0-9])"
)
QUOTE_MARK = "\ue000"  # a private-use character stands in for a quoted string


@dataclass(frozen=True)
class Masked:
    """A message with each quoted string replaced by ``QUOTE_MARK<index>QUOTE_MARK``."""

    text: str
    quotes: tuple[str, ...]
    original: str = ""

    def quotes_in(self, fragment: str) -> tuple[str, ...]:
        found = re.findall(QUOTE_MARK + r"(\d+)" + QUOTE_MARK, fragment)
        return tuple(self.quotes[int(i)] for i in found if int(i) < len(self.quotes))

    def restore(self, fragment: str) -> str:
        def put_back(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return f"'{self.quotes[index]}'" if index < len(self.quotes) else ""

        return re.sub(QUOTE_MARK + r"(\d+)" + QUOTE_MARK, put_back, fragment)


def mask_quotes(text: str) -> Masked:
    """Hide quoted strings from keyword matching.

    Quotes: straight single and double, curly double and single, 「」, 『』 and 《》.
    """
    text = text.replace(QUOTE_MARK, "")
    quotes: list[str] = []

    def keep(match: re.Match[str]) -> str:
        content = next(g for g in match.groups() if g is not None).strip()
        if not content:
            return " "
        quotes.append(content)
        return f"{QUOTE_MARK}{len(quotes) - 1}{QUOTE_MARK}"

    return Masked(_QUOTE_RE.sub(keep, text), tuple(quotes), text)


def find_quotes(text: str) -> tuple[str, ...]:
    return mask_quotes(text).quotes


# --------------------------------------------------------------------------- durations


@dataclass(frozen=True)
class Duration:
    """A length mentioned in a message, in seconds, with where it was found."""

    seconds: float
    start: int
    end: int


_EN_NUM = rf"(?P<num>\d+(?:\.\d+)?|{EN_NUMBER}|an?)"
_EN_UNIT = r"(?P<unit>milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h)"
_EN_DURATION_RE = re.compile(rf"(?<![\w.]){_EN_NUM}\s*-?\s*{_EN_UNIT}(?![a-z])", re.IGNORECASE)
_EN_MIN_SEC_RE = re.compile(
    r"(?<![\w.])(?P<m>\d+)\s*(?:minutes?|mins?|m)\s*(?:and\s*)?(?P<s>\d+)\s*(?:seconds?|secs?|s)\b",
    re.IGNORECASE,
)
_EN_SPECIAL: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"\bhalf\s+(?:a|an)\s+minute\b", re.IGNORECASE), 30.0),
    (re.compile(r"\b(?:a|one)\s+minute\s+and\s+a\s+half\b", re.IGNORECASE), 90.0),
    (re.compile(r"\b(?:a|one)\s+and\s+a\s+half\s+minutes?\b", re.IGNORECASE), 90.0),
)
_ZH_NUM = rf"(?P<num>\d+(?:\.\d+)?|{CN_NUMBER})"
_ZH_DURATION_RE = re.compile(rf"{_ZH_NUM}\s*个?\s*(?P<unit>毫秒|秒钟|秒|分半钟|分半|分钟|小时)")
_ZH_HALF_MINUTE_RE = re.compile(r"半分钟")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _unit_seconds(unit: str) -> float:
    unit = unit.lower()
    if unit in {"毫秒"} or unit.startswith(("ms", "msec", "milli")):
        return _UNIT_SECONDS["ms"]
    if unit.startswith("min") or unit.startswith("分"):
        return _UNIT_SECONDS["m"]
    if unit.startswith("h") or unit == "小时":
        return _UNIT_SECONDS["h"]
    return _UNIT_SECONDS["s"]


def _number(raw: str) -> float | None:
    if raw.lower() in {"a", "an"}:
        return 1.0
    return to_number(raw)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def find_durations(text: str) -> list[Duration]:
    """Every length in ``text`` ("60-second", "30 s", "1 minute", "一分钟", "30秒", "500ms")."""
    found: list[Duration] = []
    taken: list[tuple[int, int]] = []

    def add(seconds: float, span: tuple[int, int]) -> None:
        if not _overlaps(span, taken) and 0 < seconds <= 24 * 3600:
            taken.append(span)
            found.append(Duration(seconds, span[0], span[1]))

    for pattern, seconds in _EN_SPECIAL:
        for m in pattern.finditer(text):
            add(seconds, m.span())
    for m in _EN_MIN_SEC_RE.finditer(text):
        add(int(m.group("m")) * 60 + int(m.group("s")), m.span())
    for m in _ZH_HALF_MINUTE_RE.finditer(text):
        add(30.0, m.span())
    for m in _ZH_DURATION_RE.finditer(text):
        value = _number(m.group("num"))
        extra = 30.0 if "半" in m.group("unit") else 0.0
        if value is not None:
            add(value * _unit_seconds(m.group("unit")) + extra, m.span())
    for m in _EN_DURATION_RE.finditer(text):
        value = _number(m.group("num"))
        if value is not None and not _is_bare_a(m):
            add(value * _unit_seconds(m.group("unit")), m.span())
    return sorted(found, key=lambda d: d.start)


def _is_bare_a(match: re.Match[str]) -> bool:
    """ "a s" / "an h" are words, not lengths; "a minute", "an hour", "a second" count."""
    return match.group("num").lower() in {"a", "an"} and len(match.group("unit")) < 3


def clamp_seconds(seconds: float) -> float:
    return min(MAX_SECONDS, max(1.0, seconds))


# --------------------------------------------------------------------------- percent / volume

_PERCENT_RE = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(?:%|％|percent\b|per\s+cent\b)", re.IGNORECASE)
_ZH_PERCENT_RE = re.compile(rf"百分之\s*(\d{{1,3}}|{CN_NUMBER})")
_VOLUME_NUMBER_RE = re.compile(
    r"(?:volume|音量)\s*(?:to|at|of|=|:|为|到|调到|调成|设为|设置为)?\s*(\d{1,3})(?![\d.%％])",
    re.IGNORECASE,
)


def find_percent(text: str) -> int | None:
    """A volume percentage ("50%", "50 percent", "百分之五十", "volume to 50"), 0-200."""
    for pattern in (_PERCENT_RE, _ZH_PERCENT_RE, _VOLUME_NUMBER_RE):
        m = pattern.search(text)
        value = to_number(m.group(1)) if m else None
        if value is not None:
            return int(min(200, max(0, round(value))))
    return None


# --------------------------------------------------------------------------- names

_NOT_NAMES_TEXT = """
    a an and the i me my our we us you your it this that these those with for from into to of
    in on at by as or but please can could would will should just also then now here there
    add put make create turn generate convert use set change remove delete move swap replace
    title titles text texts caption captions music song songs video videos photo photos image
    images picture pictures clip clips slideshow montage date dates name names invitation
    wedding promo product products background transitions transition overlay overlays
    voiceover script smooth romantic upbeat calm cinematic lofi epic happy new year love
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday mp4 hd full portrait landscape square vertical horizontal
    black white red blue green gold golden hour sunset ocean city night start end beginning
    instagram tiktok youtube facebook whatsapp reels shorts story stories first second last
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_EN_NAMES_RE = re.compile(
    r"(?<![\w'’])([A-Z][a-z]{1,20}(?:-[A-Z][a-z]{1,20})?)\s*(?:&|\+|\band\b|＆)\s*"
    r"([A-Z][a-z]{1,20}(?:-[A-Z][a-z]{1,20})?)(?![\w'’])"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤欧司上诸"
)
_ZH_NAME = rf"[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}"
_ZH_NAMES_RE = re.compile(rf"({_ZH_NAME})\s*(?:和|与|跟|&|＆|、)\s*({_ZH_NAME})")
_ZH_NAME_TAIL = set("的了是在和与跟婚请邀结日年月号视照片们要把将给")


def _trim_zh_name(name: str) -> str:
    while len(name) > 2 and name[-1] in _ZH_NAME_TAIL:
        name = name[:-1]
    return name


def find_names(text: str) -> str | None:
    """A couple's names: "Anna & Ben" or "Anna and Ben" → "Anna & Ben";
    "张三和李四" → "张三 & 李四"."""
    for m in _EN_NAMES_RE.finditer(text):
        first, second = m.group(1), m.group(2)
        if first.lower() not in _NOT_NAMES and second.lower() not in _NOT_NAMES:
            return f"{first} & {second}"
    zh = _ZH_NAMES_RE.search(text)
    if zh:
        first, second = _trim_zh_name(zh.group(1)), _trim_zh_name(zh.group(2))
        if first[-1] not in _ZH_NAME_TAIL and second[-1] not in _ZH_NAME_TAIL:
            return f"{first} & {second}"
    return None


# --------------------------------------------------------------------------- dates

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    re.compile(rf"\b{_MONTH}\.?\s+{_DAY}(?:\s*,\s*|\s+)\d{{4}}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\.?(?:\s*,?\s+\d{{4}})?\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\.?\s+{_DAY}\b", re.IGNORECASE),
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
    re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]"),
    re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]"),
    re.compile(rf"\b{_MONTH}\s+\d{{4}}\b", re.IGNORECASE),
)


def find_date(text: str) -> str | None:
    """A date as written ("June 5, 2027", "5 June", "2027-06-05", "2027年6月5日")."""
    best: re.Match[str] | None = None
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    return re.sub(r"\s+", " ", best.group(0)).strip()


# --------------------------------------------------------------------------- moods and themes

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


# --------------------------------------------------------------------------- aspect


@dataclass(frozen=True)
class AspectRequest:
    """A canvas asked for: an orientation and/or the short side ("1080p", "720p")."""

    orientation: Orientation | None
    short_side: int | None


_ORIENTATIONS: tuple[tuple[Orientation, str], ...] = (
    ("portrait", r"portrait|vertical|9\s*[:x/]\s*16|tiktok|reels?|shorts|stories"
                 r"|竖屏|竖版|竖向|竖的|竖着"),
    ("square", r"square|1\s*[:x/]\s*1|正方形|方形|方屏"),
    ("landscape", r"landscape|horizontal|widescreen|16\s*[:x/]\s*9|youtube"
                  r"|横屏|横版|横向|横的|宽屏"),
)  # fmt: skip
_RESOLUTIONS: tuple[tuple[int, str], ...] = (
    (1080, r"4k|2160p|1440p|uhd|1080p?|full\s*hd|fhd|1920\s*[x×*]\s*1080"
           r"|1080\s*[x×*]\s*1920|1080\s*[x×*]\s*1080"),
    (720, r"720p?|(?<!full\s)hd|1280\s*[x×*]\s*720|720\s*[x×*]\s*1280|高清"),
    (480, r"480p|sd|854\s*[x×*]\s*480"),
)  # fmt: skip


def find_aspect(text: str) -> AspectRequest | None:
    """Orientation and resolution asked for, or None when the message names neither."""
    lowered = text.lower()
    orientation = next(
        (
            o
            for o, words in _ORIENTATIONS
            if re.search(rf"(?<![a-z0-9])(?:{words})(?![a-z0-9])", lowered)
        ),
        None,
    )
    short = next(
        (
            s
            for s, words in _RESOLUTIONS
            if re.search(rf"(?<![a-z0-9])(?:{words})(?![a-z0-9])", lowered)
        ),
        None,
    )
    if orientation is None and short is None:
        return None
    return AspectRequest(orientation, short)


def canvas_for(request: AspectRequest, current: tuple[int, int]) -> tuple[int, int]:
    """The canvas ``request`` means, given the ``current`` one (capped at 1920x1080/1080x1920)."""
    width, height = current
    short = min(1080, request.short_side or min(width, height) or 1080)
    short = max(short, 240)
    orientation = request.orientation or (
        "square" if width == height else "portrait" if height > width else "landscape"
    )
    long_side = round(short * 16 / 9 / 2) * 2
    if orientation == "portrait":
        return (short, long_side)
    if orientation == "square":
        return (short, short)
    return (long_side, short)


def aspect_label(canvas: tuple[int, int]) -> str:
    width, height = canvas
    if width == height:
        return "1:1"
    if abs(width / height - 16 / 9) < 0.02:
        return "16:9"
    if abs(height / width - 16 / 9) < 0.02:
        return "9:16"
    return f"{width}:{height}"


# --------------------------------------------------------------------------- position

_POSITIONS: tuple[tuple[Position, str], ...] = (
    ("top", r"\b(?:at|on|in|to|near)\s+the\s+top\b|\btop\b|顶部|上方|顶端|最上面|上面"),
    ("bottom", r"\b(?:at|on|in|to|near)\s+the\s+bottom\b|\bbottom\b|lower\s+third"
               r"|底部|下方|底端|最下面|底下"),
    ("center", r"\bcent(?:er|re)(?:ed|d)?\b|\bmiddle\b|中间|居中|中央|正中"),
)  # fmt: skip


def find_position(text: str) -> Position | None:
    lowered = text.lower()
    for position, words in _POSITIONS:
        if re.search(words, lowered):
            return position
    return None


def has_any(text: str, words: str) -> bool:
    """Whether ``text`` contains one of ``words`` (a regex alternation; ASCII word-bounded)."""
    return re.search(rf"(?<![a-z])(?:{words})(?![a-z])", text.lower()) is not None


def is_chinese(text: str) -> bool:
    return re.search(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", text) is not None


def word_count(text: str) -> int:
    """Words in ``text``; Chinese characters count as half a word each (≈ speech rate)."""
    latin = len(re.findall(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*", text))
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return latin + (cjk + 1) // 2
