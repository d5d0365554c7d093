"""Dates as written: "June 5, 2027", "5 June", "2027-06-05", "2027年6月5日"."""

from __future__ import annotations

import re

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
