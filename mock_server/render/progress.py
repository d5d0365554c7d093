"""Read ffmpeg's ``-progress`` output and its stderr into what callers want to see."""

from __future__ import annotations

import re
from collections.abc import Iterable

PROGRESS_CAP = 0.99  # reported until ffmpeg has exited successfully, then 1.0
REASON_LINES = 10
REASON_CHARS = 600
_TIME_KEYS = ("out_time_us", "out_time_ms")  # both are microseconds in ffmpeg's output
_ADDRESS = re.compile(r" @ 0x[0-9a-fA-F]+\]")  # "[in#0 @ 0x55e6…]" -> "[in#0]"


class ProgressTracker:
    """Turns ``key=value`` progress lines into a monotonic fraction of the duration."""

    def __init__(self, duration_ms: int) -> None:
        self._total_us = max(1, duration_ms) * 1000
        self.fraction = 0.0

    def feed(self, line: str) -> float | None:
        """The new fraction when ``line`` moves progress forward, else None."""
        key, _, value = line.strip().partition("=")
        if key not in _TIME_KEYS:
            return None
        try:
            micros = int(value)
        except ValueError:  # "N/A" before the first frame
            return None
        fraction = min(PROGRESS_CAP, max(0.0, micros / self._total_us))
        if fraction <= self.fraction:
            return None
        self.fraction = fraction
        return fraction


def trim_reason(lines: Iterable[str]) -> str:
    """The last few meaningful stderr lines, repeated lines once, at most 600 characters."""
    kept: list[str] = []
    for line in lines:
        text = _ADDRESS.sub("]", line).strip()
        if text and (not kept or kept[-1] != text):
            kept.append(text)
    reason = "\n".join(kept[-REASON_LINES:])
    if len(reason) > REASON_CHARS:
        reason = "…" + reason[-(REASON_CHARS - 1) :]
    return reason or "ffmpeg failed without an error message"
