"""The font bundled with the package, so titles render on machines with no fonts installed.

WenQuanYi Micro Hei (Apache-2.0; see ``fonts/README.md``) covers Latin and CJK in one face,
so a title never needs a per-text fallback.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
BUNDLED_FONT = FONT_DIR / "wqy-microhei.ttc"


def bundled_font() -> Path:
    """Path of the bundled Latin + CJK font file."""
    return BUNDLED_FONT
