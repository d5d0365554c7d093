"""The fonts bundled with the package, so text renders on machines with no fonts installed.

WenQuanYi Micro Hei (Apache-2.0; see ``fonts/README.md``) covers Latin and CJK in one face,
so a title never needs a per-text fallback; it is the ``sans`` face and the default. DejaVu
Serif and DejaVu Sans Mono are the ``serif`` and ``mono`` faces (Latin only): text with CJK
characters asked in them is drawn in ``sans``.
"""

from __future__ import annotations

import re
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
BUNDLED_FONT = FONT_DIR / "wqy-microhei.ttc"
FACES: dict[str, Path] = {
    "sans": BUNDLED_FONT,
    "serif": FONT_DIR / "DejaVuSerif.ttf",
    "mono": FONT_DIR / "DejaVuSansMono.ttf",
}
LATIN_ONLY = frozenset({"serif", "mono"})
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def bundled_font() -> Path:
    """Path of the bundled Latin + CJK font file."""
    return BUNDLED_FONT


def font_for(face: str | None, text: str) -> Path:
    """The font file that draws ``text`` in ``face`` (``sans`` when the face lacks its script)."""
    if face in LATIN_ONLY and not _CJK.search(text):
        return FACES[face]
    return BUNDLED_FONT


def face_covers(face: str, text: str) -> bool:
    """Whether ``face`` has the glyphs of ``text`` (the Latin-only faces have no CJK)."""
    return face not in LATIN_ONLY or _CJK.search(text) is None
