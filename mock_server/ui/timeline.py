"""A draft laid out for drawing: tracks as rows, segments as boxes placed in percent of
the draft's duration on a ruler. Pure: no web, no runtime."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: What a source looks like for a thumbnail: ("image" | "video" | "audio" | None, url).
Resolve = Callable[[str], tuple[str | None, str | None]]
KINDS = {0: "video", 1: "audio", 7: "text"}


@dataclass(frozen=True)
class Box:
    left: float  # percent of the duration
    width: float
    label: str
    start_s: float
    end_s: float
    media: str | None = None  # image | video | audio
    url: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Row:
    kind: str
    name: str
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class Layout:
    duration_s: float
    rows: tuple[Row, ...]
    ticks: tuple[tuple[float, str], ...]  # (percent, label)
    canvas: str


def lay_out(draft: Mapping[str, Any], resolve: Resolve) -> Layout:
    duration = max(int(draft.get("d") or 0), 1)
    rows = tuple(
        _row(track, index, duration, resolve) for index, track in enumerate(draft.get("t") or [])
    )
    meta = draft.get("m") or {}
    canvas = f"{meta.get('width', '?')}×{meta.get('height', '?')}"
    return Layout(duration / 1000, rows, _ticks(duration), canvas)


def _row(track: Mapping[str, Any], index: int, duration: int, resolve: Resolve) -> Row:
    kind = KINDS.get(track.get("tt", -1), "other")
    name = str(track.get("n") or f"{kind.capitalize()} {index + 1}")
    boxes = tuple(_box(seg, kind, duration, resolve) for seg in track.get("sg") or [])
    return Row(kind, name, boxes)


def _box(seg: Mapping[str, Any], kind: str, duration: int, resolve: Resolve) -> Box:
    start, length = int(seg.get("s") or 0), int(seg.get("d") or 0)
    src = str(seg.get("src") or "")
    media, url = resolve(src) if src else (None, None)
    label = str(seg.get("tx") or seg.get("n") or src or kind)
    details = [f"{start / 1000:g}–{(start + length) / 1000:g} s"]
    details += [f"{k}={seg[k]}" for k in ("v", "pos", "fs", "c", "fit", "tr") if k in seg]
    return Box(
        left=100 * start / duration,
        width=max(100 * length / duration, 0.5),
        label=label,
        start_s=start / 1000,
        end_s=(start + length) / 1000,
        media=media,
        url=url,
        detail=" · ".join(details),
    )


def _ticks(duration_ms: int) -> tuple[tuple[float, str], ...]:
    seconds = duration_ms / 1000
    step = next(s for s in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1e9) if seconds / s <= 12)
    count = int(seconds // step)
    return tuple((100 * i * step / seconds, f"{i * step:g}s") for i in range(count + 1))
