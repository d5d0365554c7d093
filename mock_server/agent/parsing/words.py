"""Small word tests shared by the parsers: any of some words, Chinese or not, word counts."""

from __future__ import annotations

import re


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
