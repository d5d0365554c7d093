"""Helpers for render tests: the media catalogue, drafts, decoded frames and colours."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

from nemo_mock.mock_server.domain.drafts import Draft, parse_draft
from nemo_mock.mock_server.media.ffmpeg import run_ffmpeg
from nemo_mock.mock_server.render import MissingMedia, ResolvedMedia, Resolver

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
    """RGB frames of ``path`` nearest to each time, decoded in one pass that converts and
    keeps only the frames asked for (a long 1080x1920 file never sits in memory whole)."""
    wanted = sorted(set(times))
    found: dict[float, Picture] = {}
    previous: tuple[float, av.VideoFrame] | None = None
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            now = float(frame.time or 0.0)
            while wanted and now >= wanted[0]:
                t = wanted.pop(0)
                nearer = previous is None or abs(now - t) <= abs(previous[0] - t)
                found[t] = _picture(frame if nearer or previous is None else previous[1])
            if not wanted:
                break
            previous = (now, frame)
    for t in wanted:  # past the last frame: the last one
        assert previous is not None, f"{path} has no video frames"
        found[t] = _picture(previous[1])
    return {t: found[t] for t in times}


def _picture(frame: av.VideoFrame) -> Picture:
    rgb = frame.reformat(format="rgb24")
    plane = rgb.planes[0]
    return Picture(rgb.width, rgb.height, plane.line_size, bytes(plane))


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


LOGO_INK = (232, 84, 30)


def logo(path: Path, width: int = 600, height: int = 300) -> Path:
    """A transparent PNG: an orange frame and bar (a logo) on nothing."""
    boxes = [
        f"drawbox=x={width // 30}:y={height // 15}:w={width * 14 // 15}:h={height * 13 // 15}"
        f":color=0xE8541E@1:t={max(2, width // 25)}:replace=1",
        f"drawbox=x={width // 5}:y={height * 11 // 30}:w={width * 3 // 5}:h={height * 8 // 30}"
        ":color=0xE8541E@1:t=fill:replace=1",
    ]
    source = f"color=c=black@0.0:s={width}x{height}:d=1,format=rgba"
    run_ffmpeg(["-f", "lavfi", "-i", source, "-vf", ",".join(boxes), "-frames:v", "1",
                "-update", "1", str(path)])  # fmt: skip
    return path


CAP, BASE = (255, 215, 0), (0, 160, 0)


def product(path: Path, width: int, height: int, color: str = "0x3050C0") -> Path:
    """A white product shot: a tall item in the middle, a yellow cap on top (10-18 % of the
    height) and a green base (82-90 %); a crop that cuts the top or bottom loses one of them."""
    x, w = width * 3 // 8, width // 4
    boxes = [
        f"drawbox=x={x}:y={height // 10}:w={w}:h={height * 8 // 10}:color={color}:t=fill",
        f"drawbox=x={x}:y={height // 10}:w={w}:h={height // 12}:color=0xFFD700:t=fill",
        f"drawbox=x={x}:y={height * 9 // 10 - height // 12}:w={w}:h={height // 12}"
        ":color=0x00A000:t=fill",
    ]
    source = f"color=c=white:s={width}x{height}:d=1"
    run_ffmpeg(["-f", "lavfi", "-i", source, "-vf", ",".join(boxes), "-frames:v", "1",
                "-update", "1", str(path)])  # fmt: skip
    return path


def luma(rgb: tuple[float, ...]) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def legible(picture: Picture, band: tuple[float, float], text_luma: float = 235) -> bool:
    """Text drawn in the horizontal ``band`` (relative top, bottom) can be read: pixels of the
    text's brightness and dark pixels (its outline and shadow, or a dark background) are both
    there, each at least 0.2 % of the band; light text on a light picture with nothing dark
    around it fails."""
    top, bottom = int(band[0] * picture.height), int(band[1] * picture.height)
    values = [
        luma(picture.pixel(x, y)) for y in range(top, bottom, 2) for x in range(0, picture.width, 2)
    ]
    bright = sum(1 for v in values if v >= text_luma - 35)
    dark = sum(1 for v in values if v <= text_luma - 140)
    return min(bright, dark) >= 0.002 * len(values)


def rows_of(
    picture: Picture,
    colour: tuple[int, int, int],
    xs: Iterable[int] | None = None,
    tolerance: float = 36,
) -> list[int]:
    """The rows (top to bottom) where a pixel of ``xs`` (the middle column by default) has
    ``colour``: how much of a subject's part is on screen, and where."""
    columns = list(xs) if xs is not None else [picture.width // 2]
    return [
        y
        for y in range(picture.height)
        if any(close_to(picture.pixel(x, y), colour, tolerance) for x in columns)
    ]
