"""Where text goes ("at the top", "居中")."""

from __future__ import annotations

import re
from typing import Literal

Position = Literal["top", "center", "bottom"]

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
