"""Numbers written as words: English ("twenty-five") and Chinese ("三十五", "两", "一百")."""

from __future__ import annotations

import re

EN_UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
EN_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
EN_NUMBER = (
    r"(?:(?:" + "|".join(EN_TENS) + r")(?:[\s-](?:" + "|".join(list(EN_UNITS)[1:10]) + r"))?"
    r"|" + "|".join(sorted(EN_UNITS, key=len, reverse=True)) + r")"
)
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
    "八": 8, "九": 9,
}  # fmt: skip
CN_NUMBER = r"[零〇一二两三四五六七八九十百]+"
_EN_NUMBER_RE = re.compile(rf"^{EN_NUMBER}$")


def english_number(word: str) -> int | None:
    """``"twenty-five"`` → 25; None when ``word`` is not an English number word."""
    text = word.strip().lower()
    if not _EN_NUMBER_RE.match(text):
        return None
    parts = re.split(r"[\s-]+", text)
    if parts[0] in EN_TENS:
        return EN_TENS[parts[0]] + (EN_UNITS[parts[1]] if len(parts) > 1 else 0)
    return EN_UNITS.get(parts[0])


def chinese_number(text: str) -> int | None:
    """``"三十五"`` → 35, ``"一百二十"`` → 120, ``"二零二七"`` → 2027; None if not a number."""
    if not text or any(ch not in CN_DIGITS and ch not in "十百" for ch in text):
        return None
    if "十" not in text and "百" not in text:
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:  # 十
            total += (current or 1) * 10
            current = 0
    return total + current


def to_number(text: str) -> float | None:
    """A number from digits, English words or Chinese numerals."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    value = english_number(text)
    if value is None:
        value = chinese_number(text)
    return None if value is None else float(value)
