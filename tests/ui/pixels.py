"""Reading a screenshot's pixels with PyAV (no image library needed)."""

from __future__ import annotations

from pathlib import Path

import av


def ink(png: Path, *, below: int = 200) -> float:
    """The share of pixels darker than ``below`` (0-255 grey): how much is drawn."""
    with av.open(str(png)) as container:
        frame = next(container.decode(video=0))
    grey = frame.reformat(format="gray")
    plane = grey.planes[0]
    width, height, stride = grey.width, grey.height, plane.line_size
    raw = bytes(plane)
    rows = (raw[y * stride : y * stride + width] for y in range(height))
    dark = sum(sum(1 for value in row if value < below) for row in rows)
    return dark / (width * height)
