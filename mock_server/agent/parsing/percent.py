"""Volume percentages: "50%", "50 percent", "百分之五十", "volume to 50"."""

from __future__ import annotations

import re

from nemo_mock.mock_server.agent.numbers import CN_NUMBER, to_number

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
