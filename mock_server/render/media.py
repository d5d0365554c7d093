"""What the render needs to know about a segment's media, and how it is looked up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

MediaKindName = Literal["video", "image", "audio"]


@dataclass(frozen=True)
class ResolvedMedia:
    """A segment ``src`` resolved to a local file and its basic properties."""

    path: Path
    kind: MediaKindName
    duration: float | None  # seconds; None for stills
    width: int | None
    height: int | None
    has_audio: bool
    ink: float | None = None  # a still with see-through pixels (a logo): mean luma, 0-255

    @property
    def is_logo(self) -> bool:
        """A still with see-through pixels: drawn at a sensible size on a background."""
        return self.is_still and self.ink is not None

    @property
    def is_still(self) -> bool:
        """An image shown as one frame (an animated image plays like a clip)."""
        return self.kind == "image" and not self.duration


Resolver = Callable[[str], ResolvedMedia]
"""Maps a segment's ``src`` to its media; raises :class:`MissingMedia` when it cannot."""
