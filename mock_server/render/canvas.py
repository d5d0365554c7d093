"""The output canvas: size, frame rate and the frame grid that timeline times snap to."""

from __future__ import annotations

import math
from dataclasses import dataclass

from nemo_mock.mock_server.domain.drafts import Draft

DEFAULT_CANVAS = (1920, 1080)
DEFAULT_FPS = 30
LANDSCAPE_LIMIT = (1920, 1080)
PORTRAIT_LIMIT = (1080, 1920)


def canvas_for(draft: Draft, canvas: tuple[int, int] | None = None) -> tuple[int, int]:
    """The render size: the draft's ``m`` width/height, else ``canvas``, else 1920x1080.

    The size is scaled down, keeping its aspect, to fit 1920x1080 (landscape or square) or
    1080x1920 (portrait), and each side is made even (H.264 with yuv420p needs it).
    """
    meta = draft.meta
    if meta.width and meta.height:
        width, height = meta.width, meta.height
    elif canvas is not None:
        width, height = canvas
    else:
        width, height = DEFAULT_CANVAS
    return _capped(max(2, width), max(2, height))


def _capped(width: int, height: int) -> tuple[int, int]:
    limit_w, limit_h = LANDSCAPE_LIMIT if width >= height else PORTRAIT_LIMIT
    scale = min(1.0, limit_w / width, limit_h / height)
    return _even(round(width * scale)), _even(round(height * scale))


def _even(value: int) -> int:
    return max(2, value - value % 2)


@dataclass(frozen=True)
class FrameGrid:
    """Converts timeline milliseconds to frame indices at the output frame rate."""

    fps: int

    def frame(self, ms: int) -> int:
        """The frame index nearest to ``ms`` (segment edges snap to it)."""
        return round(ms * self.fps / 1000)

    def total_frames(self, duration_ms: int) -> int:
        """Frames needed to cover ``duration_ms`` completely (``-t`` trims the excess)."""
        return math.ceil(duration_ms * self.fps / 1000 - 1e-9)

    def seconds(self, frames: int) -> float:
        return frames / self.fps
