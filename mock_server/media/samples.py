"""Deterministic, small generated sample media for tests, fixtures and demos.

Every generator writes with the bundled ffmpeg through :func:`run_ffmpeg`, strips metadata and
asks for bit-exact muxing so that the same arguments produce the same bytes.
"""

from __future__ import annotations

import os
import random
import re
import struct
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from types import MappingProxyType

from nemo_mock.mock_server.media.atomic import write_atomically
from nemo_mock.mock_server.media.ffmpeg import run_ffmpeg
from nemo_mock.mock_server.media.probe import MediaKind

# fmt: off
_BITEXACT = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags", "+bitexact"]
_X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "28",
         "-pix_fmt", "yuv420p", "-threads", "1"]
_VP8 = ["-c:v", "libvpx", "-deadline", "good", "-cpu-used", "16",
        "-b:v", "300k", "-threads", "1"]
# fmt: on
_AAC = ["-c:a", "aac", "-b:a", "96k"]
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/Arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
_COLOR_PATTERN = re.compile(r"#?[A-Za-z0-9]+(@[0-9.]+)?")
_IMAGE_CODECS: Mapping[str, list[str]] = {
    ".jpg": ["-c:v", "mjpeg", "-q:v", "4", "-pix_fmt", "yuvj420p"],
    ".jpeg": ["-c:v", "mjpeg", "-q:v", "4", "-pix_fmt", "yuvj420p"],
    ".png": ["-c:v", "png", "-pix_fmt", "rgb24"],
    ".webp": ["-c:v", "libwebp", "-quality", "80", "-pix_fmt", "yuv420p"],
    ".gif": ["-c:v", "gif"],
}
_CLIP_CODECS: Mapping[str, tuple[list[str], list[str]]] = {
    ".mp4": ([*_X264, "-movflags", "+faststart"], _AAC),
    ".mov": ([*_X264, "-movflags", "+faststart"], _AAC),
    ".mkv": (_X264, _AAC),
    ".webm": (_VP8, ["-c:a", "libopus", "-b:a", "64k"]),
    ".avi": (["-c:v", "mpeg4", "-q:v", "5"], ["-c:a", "libmp3lame", "-b:a", "96k"]),
}
_SONG_CODECS: Mapping[str, list[str]] = {
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "128k"],
    ".wav": ["-c:a", "pcm_s16le"],
    ".m4a": [*_AAC, "-movflags", "+faststart"],
    ".aac": [*_AAC, "-f", "adts"],
}


class UnsupportedSampleFormat(ValueError):
    """The requested output extension is not one a generator can write."""


def _suffix(path: Path, supported: Mapping[str, object]) -> str:
    suffix = path.suffix.lower()
    if suffix not in supported:
        allowed = ", ".join(sorted(supported))
        raise UnsupportedSampleFormat(f"cannot write {path.name!r}: use one of {allowed}")
    return suffix


@cache
def find_font() -> Path | None:
    """A TrueType font usable by drawtext, or None when none is installed."""
    return next((Path(p) for p in _FONT_CANDIDATES if Path(p).is_file()), None)


def _checked_color(color: str) -> str:
    """Reject colour strings that would break out of a filter-graph argument."""
    if not _COLOR_PATTERN.fullmatch(color):
        raise ValueError(f"invalid colour {color!r}: use a name like 'navy' or '#rrggbb'")
    return color


def _escape_filter_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


def _label_filter(label: str, height: int) -> str | None:
    font = find_font()
    text = re.sub(r"[^A-Za-z0-9 _.#-]", "", label).strip()
    if font is None or not text:
        return None
    size = max(12, height // 12)
    return (
        f"drawtext=fontfile='{_escape_filter_value(font.as_posix())}':text='{text}'"
        f":fontsize={size}:fontcolor=white:borderw=2:bordercolor=black"
        ":x=(w-text_w)/2:y=h-text_h-h/10"
    )


def _pattern_filters(width: int, height: int, *, moving: bool) -> list[str]:
    """Boxes and light noise so frames are recognisable and not trivially compressible."""
    bw, bh = max(2, width // 4), max(2, height // 4)
    x = f"mod(t*{max(1, width // 2)}\\,{width})" if moving else str(width // 8)
    return [
        f"drawbox=x={x}:y={height // 8}:w={bw}:h={bh}:color=white@0.8:t=fill",
        f"drawbox=x={width - width // 8 - bw}:y={height - height // 8 - bh}:w={bw}:h={bh}"
        ":color=black@0.6:t=fill",
        f"drawbox=x=0:y=0:w={width}:h={height}:color=white@0.5:t={max(1, width // 80)}",
        "noise=alls=8:allf=u",
    ]


def make_photo(
    path: Path, *, width: int, height: int, color: str, label: str | None = None
) -> Path:
    """Write a still image (jpg/png/webp/gif by extension) of a solid colour with a pattern."""
    codec = _IMAGE_CODECS[_suffix(path, _IMAGE_CODECS)]
    filters = _pattern_filters(width, height, moving=False)
    label_filter = _label_filter(label, height) if label else None
    if label_filter:
        filters.append(label_filter)
    source = f"color=c={_checked_color(color)}:s={width}x{height}:r=1:d=1"
    args = ["-f", "lavfi", "-i", source, "-vf", ",".join(filters), "-frames:v", "1"]
    if path.suffix.lower() in {".jpg", ".jpeg", ".png"}:
        args += ["-update", "1"]
    run_ffmpeg([*args, *codec, *_BITEXACT, str(path)])
    return path


def with_exif_orientation(path: Path, orientation: int) -> Path:
    """Give the JPEG at ``path`` an EXIF orientation tag (1-8), as a phone camera writes it:
    6 means the stored picture is shown turned 90 degrees clockwise."""
    if not 1 <= orientation <= 8:
        raise ValueError(f"EXIF orientation must be 1 to 8, got {orientation}")
    data = path.read_bytes()
    if not data.startswith(b"\xff\xd8"):
        raise ValueError(f"{path.name!r} is not a JPEG")
    entry = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    tiff = b"MM\x00\x2a" + struct.pack(">IH", 8, 1) + entry + struct.pack(">I", 0)
    payload = b"Exif\x00\x00" + tiff
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    path.write_bytes(data[:2] + app1 + data[2:])
    return path


def with_display_rotation(source: Path, path: Path, degrees: int) -> Path:
    """Copy the clip ``source`` to ``path`` with a display matrix turning it ``degrees``
    counter-clockwise for display (what a phone held upright records), streams untouched."""
    args = ["-display_rotation", str(degrees), "-i", str(source), "-c", "copy"]
    run_ffmpeg([*args, *_BITEXACT, str(path)])
    return path


def make_animation(
    path: Path, *, seconds: float, width: int, height: int, fps: int = 10, color: str = "teal"
) -> Path:
    """Write an animated GIF with a moving box."""
    if path.suffix.lower() != ".gif":
        raise UnsupportedSampleFormat(f"cannot write {path.name!r}: animations are .gif only")
    filters = [*_pattern_filters(width, height, moving=True)[:-1], "format=rgb8"]
    source = f"color=c={_checked_color(color)}:s={width}x{height}:r={fps}:d={seconds}"
    args = ["-f", "lavfi", "-i", source, "-vf", ",".join(filters), "-c:v", "gif"]
    run_ffmpeg([*args, "-loop", "0", *_BITEXACT, str(path)])
    return path


def make_clip(
    path: Path,
    *,
    seconds: float,
    width: int,
    height: int,
    fps: int = 25,
    color: str | None = None,
    with_audio: bool = True,
    tone_hz: int = 440,
) -> Path:
    """Write a short video clip (mp4/mov/mkv/webm/avi by extension), optionally with a tone."""
    video_codec, audio_codec = _CLIP_CODECS[_suffix(path, _CLIP_CODECS)]
    size = f"s={width}x{height}:r={fps}:d={seconds}"
    if color is None:
        inputs, filters = ["-f", "lavfi", "-i", f"testsrc2={size}"], []
    else:
        inputs = ["-f", "lavfi", "-i", f"color=c={_checked_color(color)}:{size}"]
        filters = ["-vf", ",".join(_pattern_filters(width, height, moving=True))]
    audio: list[str] = []
    if with_audio:
        tone = f"sine=frequency={tone_hz}:sample_rate=48000:duration={seconds}"
        inputs += ["-f", "lavfi", "-i", tone]
        audio = [*audio_codec, "-ac", "2"]
    output = ["-t", f"{seconds}", *_BITEXACT, str(path)]
    run_ffmpeg([*inputs, *filters, *video_codec, *audio, *output])
    return path


def _chord_expression(tone_hz: int, seconds: float) -> str:
    """A gentle major triad with a short fade in and out, as an aevalsrc expression."""
    ratios = (1.0, 1.25, 1.5)
    partials = "+".join(f"0.2*sin(2*PI*{tone_hz * r:g}*t)" for r in ratios)
    fade = f"min(1\\,min(t/0.05\\,({seconds:g}-t)/0.05))"
    return f"({partials})*{fade}"


def make_song(path: Path, *, seconds: float, tone_hz: int = 330) -> Path:
    """Write a short stereo audio track (mp3/wav/m4a/aac by extension)."""
    codec = _SONG_CODECS[_suffix(path, _SONG_CODECS)]
    expr = _chord_expression(tone_hz, seconds)
    source = f"aevalsrc=exprs={expr}|{expr}:s=44100:d={seconds:g}"
    run_ffmpeg(["-f", "lavfi", "-i", source, *codec, *_BITEXACT, str(path)])
    return path


@dataclass(frozen=True)
class ExpectedMedia:
    """What probing a sample file should report."""

    kind: MediaKind
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    fps: float | None = None
    has_audio: bool = False


@dataclass(frozen=True)
class SampleSet:
    """The standard generated sample files and their expected properties."""

    directory: Path
    expected: Mapping[str, ExpectedMedia] = field(default_factory=dict)
    invalid: tuple[str, ...] = ()

    def path(self, name: str) -> Path:
        """Absolute path of a sample by file name; KeyError for unknown names."""
        if name not in self.expected and name not in self.invalid:
            raise KeyError(f"unknown sample {name!r}")
        return self.directory / name

    @property
    def names(self) -> tuple[str, ...]:
        """Every sample file name, valid ones first."""
        return (*self.expected, *self.invalid)


@dataclass(frozen=True)
class _Sample:
    """One file of the standard set: how to write it and what probing it should say."""

    name: str
    write: Callable[[Path], object]
    expected: ExpectedMedia | None  # None for deliberately invalid files


_PHOTO_COLORS = ("#c0392b", "#2471a3", "#1e8449", "#b9770e", "#7d3c98")


def _photo(name: str, width: int, height: int, color: str) -> _Sample:
    label = name.rsplit(".", 1)[0].replace("_", " ")
    write = partial(make_photo, width=width, height=height, color=color, label=label)
    return _Sample(name, write, ExpectedMedia("image", width, height))


def _clip(
    name: str, seconds: float, width: int, height: int, fps: int, color: str | None
) -> _Sample:
    write = partial(make_clip, seconds=seconds, width=width, height=height, fps=fps, color=color)
    return _Sample(name, write, ExpectedMedia("video", width, height, seconds, float(fps), True))


def _song(name: str, seconds: float, tone_hz: int) -> _Sample:
    write = partial(make_song, seconds=seconds, tone_hz=tone_hz)
    return _Sample(name, write, ExpectedMedia("audio", duration=seconds, has_audio=True))


def _invalid(name: str, content: bytes) -> _Sample:
    return _Sample(name, lambda path: path.write_bytes(content), None)


def _catalogue() -> tuple[_Sample, ...]:
    photos = [
        _photo(f"photo_{i}.jpg", *((720, 1280) if i % 2 else (1280, 720)), color)
        for i, color in enumerate(_PHOTO_COLORS, start=1)
    ]
    gif = partial(make_animation, seconds=1.0, width=160, height=120, fps=10)
    return (
        *photos,
        _photo("photo.png", 640, 480, "#16a085"),
        _photo("photo.webp", 320, 240, "#d35400"),
        _Sample("anim.gif", gif, ExpectedMedia("image", 160, 120, duration=1.0)),
        _clip("venue_clip.mp4", 3.0, 640, 360, 25, None),
        _clip("clip.mov", 2.0, 320, 240, 30, "navy"),
        _clip("clip.webm", 2.0, 320, 240, 25, "darkgreen"),
        _clip("clip.mkv", 2.0, 320, 240, 25, "maroon"),
        _clip("clip.avi", 2.0, 320, 240, 25, "purple"),
        _song("song.mp3", 4.0, 330),
        _song("song.wav", 2.0, 262),
        _song("song.m4a", 2.0, 294),
        _song("song.aac", 2.0, 392),
        _invalid("notes.txt", b"Wedding notes\n- first dance at 21:00\n- play our song\n"),
        _invalid("random.mp4", random.Random(1234).randbytes(4096)),
        _invalid("text_as.png", b"This is plain text pretending to be a PNG image.\n"),
    )


def _is_cached(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 0


def make_sample_set(directory: Path) -> SampleSet:
    """Generate (or reuse) the standard sample set in ``directory``.

    Files that already exist and are non-empty are kept as they are; missing ones are generated
    in parallel. Each file is written under a temporary name and renamed when complete, so an
    interrupted run never leaves a truncated file that would later count as cached.
    """
    directory.mkdir(parents=True, exist_ok=True)
    catalogue = _catalogue()
    pending = [sample for sample in catalogue if not _is_cached(directory / sample.name)]
    if pending:
        workers = max(2, min(8, os.cpu_count() or 2))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(write_atomically, directory / sample.name, sample.write)
                for sample in pending
            ]
            for future in futures:
                future.result()
    expected = {s.name: s.expected for s in catalogue if s.expected is not None}
    return SampleSet(
        directory=directory,
        expected=MappingProxyType(expected),
        invalid=tuple(s.name for s in catalogue if s.expected is None),
    )
