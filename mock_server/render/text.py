"""Titles: ``drawtext`` over the picture with the bundled font.

The text is never put in the filter graph: it is written to a file (``textfile=``) and drawn
with ``expansion=none``, so quotes, colons, backslashes, ``%``, braces, newlines and CJK all
render literally. Size defaults to 7.5% of the canvas's shorter side; a line too wide for 90%
of the canvas shrinks the size (down to half) and then wraps at spaces (anywhere between CJK
characters). A thin outline and a soft shadow keep it readable on any background; fades
(``fi``/``fo``) ramp its alpha; it shows only during its segment. Captions at the top or bottom
(not titles, not stickers) are drawn on a translucent dark box (``_box``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

from ffmpeg.nodes import FilterableStream

from nemo_mock.mock_server.render.fonts import font_for
from nemo_mock.mock_server.render.timeline import Caption, Timeline

DEFAULT_SIZE_RATIO = 0.075
MARGIN_RATIO = 0.08
MAX_WIDTH_RATIO = 0.9
LINE_HEIGHT = 1.25
MIN_FONT_SIZE = 8
NARROW_EM = 0.6  # estimated advance of a Latin character, in ems (generous)
_WIDE = "\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TOKEN = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")


def caption_file(output: Path, index: int) -> Path:
    """Where the text of caption ``index`` is written for a render to ``output``."""
    return output.with_name(f".{output.name}.caption{index}.txt")


def draw_captions(
    picture: FilterableStream, tl: Timeline, output: Path
) -> tuple[FilterableStream, dict[Path, str]]:
    """Draw every caption; return the picture and the text files the filters read."""
    files: dict[Path, str] = {}
    for index, caption in enumerate(tl.captions):
        path = caption_file(output, index)
        text, size = fit_text(caption.text, caption.font_size or default_size(tl), tl)
        files[path] = text
        picture = picture.filter("drawtext", **_drawtext_options(caption, path, size, tl))
    return picture, files


def default_size(tl: Timeline) -> int:
    return max(MIN_FONT_SIZE, round(min(tl.width, tl.height) * DEFAULT_SIZE_RATIO))


def _drawtext_options(caption: Caption, path: Path, size: int, tl: Timeline) -> dict[str, str]:
    half_frame = 0.5 / tl.fps
    start, end = caption.start - half_frame, caption.end - half_frame
    color = "0x" + (caption.color or "#FFFFFF").lstrip("#")
    return {
        "fontfile": str(font_for(caption.font, caption.text)),
        "textfile": str(path),
        "expansion": "none",
        "fontsize": str(size),
        "fontcolor": color,
        "text_align": _ALIGN[caption.align][0],
        "x": _x(caption, tl),
        "y": _y(caption, tl),
        **_stroke(caption, size, color),
        **_shadow(caption, size),
        **_box(caption, size),
        "alpha": _alpha(caption),
        "enable": f"gte(t,{start:.6f})*lt(t,{end:.6f})",
    }


_ALIGN = {"left": ("L", "{m}"), "center": ("C", "(w-text_w)/2"), "right": ("R", "w-text_w-{m}")}


def _x(caption: Caption, tl: Timeline) -> str:
    return _ALIGN[caption.align][1].format(m=round(tl.width * MARGIN_RATIO / 2))


def _stroke(caption: Caption, size: int, color: str) -> dict[str, str]:
    """A thin dark outline; bold thickens the strokes with a border in the text's colour."""
    if caption.bold:
        return {"borderw": str(max(1, size // 16)), "bordercolor": color}
    return {"borderw": str(max(1, size // 28)), "bordercolor": "black@0.55"}


def _shadow(caption: Caption, size: int) -> dict[str, str]:
    """A soft shadow by default; ``sh`` true a strong drop shadow, false none."""
    if caption.shadow is False:
        return {"shadowx": "0", "shadowy": "0"}
    offset, opacity = (max(2, size // 8), 0.85) if caption.shadow else (max(1, size // 18), 0.5)
    return {"shadowx": str(offset), "shadowy": str(offset), "shadowcolor": f"black@{opacity}"}


BOX_OPACITY = 0.45
_UNBOXED_ROLES = frozenset({"title", "sticker"})


def _box(caption: Caption, size: int) -> dict[str, str]:
    """Captions at the top or bottom (overlays, subtitles) sit on a translucent dark box, so
    they read on any picture, white product shots and bright skies included; titles in the
    centre and stickers keep only their outline and shadow."""
    role = (caption.role or "").strip().lower()
    if caption.position == "center" or role in _UNBOXED_ROLES:
        return {}
    return {
        "box": "1",
        "boxcolor": f"black@{BOX_OPACITY}",
        "boxborderw": str(max(2, round(size * 0.3))),
    }


ROOM_GAP = 0.02  # of the canvas's height, between a caption's box and the picture


def caption_room(caption: Caption, tl: Timeline) -> int:
    """The height (px) a boxed caption at the top or bottom takes from its edge of the frame,
    box and a small gap included; 0 for a caption in the centre, a title or a sticker."""
    if not _box(caption, 8):
        return 0
    text, size = fit_text(caption.text, caption.font_size or default_size(tl), tl)
    lines = text.count("\n") + 1
    border = max(2, round(size * 0.3))
    block = lines * size * LINE_HEIGHT + 2 * border
    return math.ceil(tl.height * (MARGIN_RATIO + ROOM_GAP) + block)


def _y(caption: Caption, tl: Timeline) -> str:
    margin = round(tl.height * MARGIN_RATIO)
    if caption.position == "top":
        return str(margin)
    if caption.position == "bottom":
        return f"h-text_h-{margin}"
    return "(h-text_h)/2"


def _alpha(caption: Caption) -> str:
    length = caption.end - caption.start
    ramps = []
    if caption.fade_in > 0:
        ramps.append(f"(t-{caption.start:.6f})/{min(caption.fade_in, length):.6f}")
    if caption.fade_out > 0:
        ramps.append(f"({caption.end:.6f}-t)/{min(caption.fade_out, length):.6f}")
    if not ramps:
        return "1"
    ramp = ramps[0] if len(ramps) == 1 else f"min({ramps[0]},{ramps[1]})"
    return f"clip({ramp},0,1)"


def fit_text(text: str, size: int, tl: Timeline) -> tuple[str, int]:
    """The text as drawn (line breaks added where needed) and the font size to draw it at."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    room = tl.width * MAX_WIDTH_RATIO
    widest = max(text_ems(line) for line in lines)
    if widest * size > room:
        size = max(MIN_FONT_SIZE, size // 2, math.floor(room / widest))
    wrapped = [part for line in lines for part in wrap_line(line, room / size)]
    block = len(wrapped) * size * LINE_HEIGHT
    if block > tl.height * MAX_WIDTH_RATIO:
        size = max(
            MIN_FONT_SIZE, math.floor(tl.height * MAX_WIDTH_RATIO / (len(wrapped) * LINE_HEIGHT))
        )
    return "\n".join(wrapped), size


def text_ems(text: str) -> float:
    """Estimated width of ``text`` in ems: CJK and full-width characters are one em."""
    return sum(1.0 if _is_wide(ch) else NARROW_EM for ch in text)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def wrap_line(line: str, limit: float) -> list[str]:
    """Greedy wrap to ``limit`` ems, breaking at spaces or between wide characters."""
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(line):
        if current.strip() and not token.isspace() and text_ems(current + token) > limit:
            lines.append(current.rstrip())
            current = ""
        current += token
        while text_ems(current) > limit and len(current) > 1:
            cut = _longest_prefix(current, limit)
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    return lines


def _longest_prefix(text: str, limit: float) -> int:
    cut = 1
    while cut < len(text) and text_ems(text[: cut + 1]) <= limit:
        cut += 1
    return cut
