"""Numbered ffmpeg inputs for ffmpeg-python.

ffmpeg-python identifies graph nodes by a hash of their arguments, so two segments that use
the same file with the same options would collapse into one input feeding two chains, which
ffmpeg-python refuses to compile. :class:`InputSet` tags every input with its own number so
each segment gets its own ``-i``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ffmpeg.nodes import FilterableStream, InputNode


class _NumberedInput(InputNode):  # type: ignore[misc]
    """An ``-i`` input whose identity includes a number, not only its arguments."""

    def __init__(self, number: int, filename: str, options: dict[str, Any]) -> None:
        self._number = number
        super().__init__("input", kwargs={**options, "filename": filename})

    def __hash__(self) -> int:
        return hash((super().__hash__(), self._number))

    def __eq__(self, other: object) -> bool:
        return hash(self) == hash(other)


class InputSet:
    """Creates distinct ffmpeg inputs, in the order they are asked for."""

    def __init__(self) -> None:
        self._count = 0

    def file(self, path: Path, **options: Any) -> FilterableStream:
        """``-i path`` with input options (``ss``, ``t``, ``stream_loop`` …)."""
        return self._add(str(path), options)

    def lavfi(self, source: str) -> FilterableStream:
        """A generated input (``-f lavfi -i source``), e.g. ``color=…`` or ``anullsrc=…``."""
        return self._add(source, {"format": "lavfi"})

    def _add(self, filename: str, options: dict[str, Any]) -> FilterableStream:
        self._count += 1
        return _NumberedInput(self._count, filename, options).stream()
