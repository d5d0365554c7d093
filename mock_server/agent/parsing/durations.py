"""Lengths in a message: "60-second", "30 s", "1 minute", "一分钟", "30秒", "500ms"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nemo_mock.mock_server.agent.numbers import CN_NUMBER, EN_NUMBER, to_number

MAX_SECONDS = 900.0


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
