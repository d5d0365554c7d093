"""Helpers for render tests: the media catalogue, drafts, decoded frames and colours."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

from mock_server.domain.drafts import Draft, parse_draft
from mock_server.media.ffmpeg import run_ffmpeg
from mock_server.render import MissingMedia, ResolvedMedia, Resolver

RED = (255, 0, 0)
GREEN = (0, 255, 0)
BLUE = (0, 0, 255)
YELLOW = (255, 255, 0)
BLACK = (0, 0, 0)

# src -> (file name, kind, duration, width, height, has_audio); files made by `media_dir`.
CATALOGUE: dict[str, tuple[str, str, float | None, int | None, int | None, bool]] = {
    "red": ("red.jpg", "image", None, 640, 360, False),
    "blue": ("blue.png", "image", None, 640, 360, False),
    "green_portrait": ("green.jpg", "image", None, 360, 640, False),
    "yellow_clip": ("yellow.mp4", "video", 1.0, 320, 180, True),
    "song": ("song.mp3", "audio", 1.5, None, None, True),
    "corrupt": ("corrupt.mp4", "video", 2.0, 320, 180, True),
}


def catalogue_resolver(folder: Path) -> Resolver:
    def resolve(src: str) -> ResolvedMedia:
        if src not in CATALOGUE:
            raise MissingMedia(src)
        name, kind, duration, width, height, has_audio = CATALOGUE[src]
        return ResolvedMedia(folder / name, kind, duration, width, height, has_audio)  # type: ignore[arg-type]

    return resolve


def draft(tracks: list[dict[str, Any]], **top: Any) -> Draft:
    return parse_draft({"t": tracks, **top})


@dataclass(frozen=True)
class Picture:
    """One decoded RGB frame (PyAV, no numpy): pixels addressed by relative position."""

    width: int
    height: int
    stride: int
    data: bytes

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        at = y * self.stride + 3 * x
        return self.data[at], self.data[at + 1], self.data[at + 2]

    def mean(self, box: tuple[float, float, float, float]) -> tuple[float, float, float]:
        """Mean RGB over a box given as relative (left, top, right, bottom)."""
        pixels = list(self._pixels(box))
        return tuple(sum(p[c] for p in pixels) / len(pixels) for c in range(3))  # type: ignore[return-value]

    def patch(self, x: float = 0.5, y: float = 0.5, size: float = 0.02) -> tuple[float, ...]:
        return self.mean((x - size, y - size, x + size, y + size))

    def difference(self, other: Picture, box: tuple[float, float, float, float]) -> float:
        """Mean absolute channel difference between two frames over a box."""
        pairs = zip(self._pixels(box), other._pixels(box), strict=True)
        total = [abs(a[c] - b[c]) for a, b in pairs for c in range(3)]
        return sum(total) / len(total)

    def _pixels(self, box: tuple[float, float, float, float]) -> Iterator[tuple[int, int, int]]:
        left, top, right, bottom = box
        xs = range(int(left * self.width), max(int(left * self.width) + 1, int(right * self.width)))
        ys = range(
            int(top * self.height), max(int(top * self.height) + 1, int(bottom * self.height))
        )
        for y in ys:
            for x in xs:
                yield self.pixel(min(x, self.width - 1), min(y, self.height - 1))


def frames_at(path: Path, times: Iterable[float]) -> dict[float, Picture]:
    """RGB frames of ``path`` nearest to each time (decodes the whole small file)."""
    decoded: list[tuple[float, Picture]] = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            rgb = frame.reformat(format="rgb24")
            plane = rgb.planes[0]
            picture = Picture(rgb.width, rgb.height, plane.line_size, bytes(plane))
            decoded.append((float(frame.time or 0.0), picture))
    return {t: min(decoded, key=lambda item: abs(item[0] - t))[1] for t in times}


def close_to(rgb: tuple[float, ...], expected: tuple[int, int, int], tolerance: float = 45) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, expected, strict=True))


HEAD, BODY, BACKDROP = (220, 30, 30), (30, 60, 220), (128, 128, 128)


def person(path: Path, width: int, height: int) -> Path:
    """A grey photo with a red 'head' in the top fifth and a blue 'body' below it."""
    boxes = [
        f"drawbox=x={width * 3 // 8}:y={height // 20}:w={width // 4}:h={height // 6}"
        ":color=0xDC1E1E:t=fill",
        f"drawbox=x={width // 4}:y={height * 3 // 10}:w={width // 2}:h={height * 6 // 10}"
        ":color=0x1E3CDC:t=fill",
    ]
    source = f"color=c=gray:s={width}x{height}:d=1"
    run_ffmpeg(["-f", "lavfi", "-i", source, "-vf", ",".join(boxes), "-frames:v", "1",
                "-update", "1", str(path)])  # fmt: skip
    return path
