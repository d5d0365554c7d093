"""Write a file under a temporary name and rename it into place, so readers never see half."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def write_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """``write(partial)`` then rename to ``target``; the partial never survives a failure.

    The partial keeps the target's extension, which ffmpeg reads to choose the format.
    """
    partial = target.with_name(f".partial-{target.name}")
    try:
        write(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
