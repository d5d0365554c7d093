"""The canvas a message asks for: orientation and resolution."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Orientation = Literal["portrait", "landscape", "square"]


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
