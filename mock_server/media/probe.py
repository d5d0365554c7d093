"""Inspect media files: what they are (video, image, audio) and their basic properties."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal

import av
from av.container import InputContainer
from av.stream import Disposition, Stream
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

MediaKind = Literal["video", "image", "audio"]

_SNIFF_BYTES = 64
# Demuxers that only handle still images (or an image sequence we treat as one image).
_IMAGE_DEMUXERS = frozenset({"image2", "gif", "apng", "webp"})
# Demuxers whose content probing is so liberal that random bytes can pass it; for these we
# additionally require the file signature to be one we recognise.
_WEAK_DEMUXERS = frozenset(
    {"mp3", "aac", "loas", "tty", "h264", "hevc", "m4v", "mpegvideo", "mjpeg"}
)


class ProbeError(ValueError):
    """The file is not a usable media file; the message says why in plain words."""


@dataclass(frozen=True)
class ProbeResult:
    """Basic properties of a media file."""

    kind: MediaKind
    format_name: str
    duration: float | None
    width: int | None
    height: int | None
    fps: float | None
    has_audio: bool
    video_codec: str | None
    audio_codec: str | None
    rotation: int = 0  # degrees clockwise the stored picture is turned to be shown (0/90/180/270)
    ink: float | None = None  # an image with see-through pixels (a logo): its mean luma, 0-255


def probe(path: Path) -> ProbeResult:
    """Describe the media file at ``path``.

    Raises :class:`FileNotFoundError` when there is no such file and :class:`ProbeError` when
    the file exists but is not a usable image, video or audio file.
    """
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    if path.stat().st_size == 0:
        raise ProbeError("empty file: not a media file")
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            return _describe(path, container)
    except av.FFmpegError as exc:
        raise ProbeError(f"not a media file: {_reason(exc)}") from exc


def _reason(exc: av.FFmpegError) -> str:
    reason = exc.strerror if isinstance(exc.strerror, str) and exc.strerror else str(exc)
    return reason[0].lower() + reason[1:] if reason else "unreadable"


def _describe(path: Path, container: InputContainer) -> ProbeResult:
    format_name = container.format.name
    video = [s for s in container.streams.video if not s.disposition & Disposition.attached_pic]
    audio = list(container.streams.audio)
    if not video and not audio:
        raise ProbeError("no audio or video stream found")
    if format_name.split(",")[0] in _WEAK_DEMUXERS and sniff_kind(path) is None:
        raise ProbeError(f"not a media file: content does not look like {format_name}")
    audio_codec = _codec_name(audio[0]) if audio else None
    if not video:
        return ProbeResult(
            kind="audio",
            format_name=format_name,
            duration=_duration(container, audio),
            width=None,
            height=None,
            fps=None,
            has_audio=True,
            video_codec=None,
            audio_codec=audio_codec,
        )
    stream = video[0]
    if _is_image(format_name, container, stream):
        return _describe_image(container, stream, audio_codec)
    rotation = _rotation(_first_frame(container, stream))
    width, height = _displayed(_dimensions(stream), rotation)
    return ProbeResult(
        kind="video",
        format_name=format_name,
        duration=_duration(container, [*video, *audio]),
        width=width,
        height=height,
        fps=_fps(stream),
        has_audio=bool(audio),
        video_codec=_codec_name(stream),
        audio_codec=audio_codec,
        rotation=rotation,
    )


def _describe_image(
    container: InputContainer, stream: VideoStream, audio_codec: str | None
) -> ProbeResult:
    frame = _decode_first_frame(container, stream)
    rotation = _rotation(frame)
    width, height = _displayed((frame.width, frame.height), rotation)
    animated = stream.frames > 1
    return ProbeResult(
        kind="image",
        format_name=container.format.name,
        duration=_duration(container, [stream]) if animated else None,
        width=width,
        height=height,
        fps=None,
        has_audio=audio_codec is not None,
        video_codec=_codec_name(stream),
        audio_codec=audio_codec,
        rotation=rotation,
        ink=None if animated else _ink(frame),
    )


_ALPHA_SAMPLE = 64  # the image is judged on a copy this many pixels square


def _ink(frame: VideoFrame) -> float | None:
    """For an image with see-through pixels (a logo on nothing), the mean luma (0-255) of its
    visible pixels; None for an opaque one (no alpha, or alpha that is everywhere solid)."""
    fmt = frame.format
    if not (fmt.has_palette or any(c.is_alpha for c in fmt.components)):
        return None
    small = frame.reformat(width=_ALPHA_SAMPLE, height=_ALPHA_SAMPLE, format="rgba")
    plane = small.planes[0]
    data, row = bytes(plane), _ALPHA_SAMPLE * 4
    pixels = [data[y * plane.line_size + x : y * plane.line_size + x + 4]
              for y in range(_ALPHA_SAMPLE) for x in range(0, row, 4)]  # fmt: skip
    if min(p[3] for p in pixels) >= 250:
        return None
    shown = [p for p in pixels if p[3] >= 128] or pixels
    return sum(0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2] for p in shown) / len(shown)


def _is_image(format_name: str, container: InputContainer, stream: VideoStream) -> bool:
    if format_name.endswith("_pipe") or format_name in _IMAGE_DEMUXERS:
        return True
    if stream.disposition & Disposition.still_image:
        return True
    no_duration = container.duration is None and stream.duration is None
    return stream.frames == 1 and no_duration


def _decode_first_frame(container: InputContainer, stream: VideoStream) -> VideoFrame:
    """Decode one frame to prove the image is readable."""
    try:
        frame = next(iter(container.decode(stream)), None)
    except av.FFmpegError as exc:
        raise ProbeError(
            f"not a media file: the image could not be decoded ({_reason(exc)})"
        ) from exc
    if isinstance(frame, VideoFrame) and frame.width > 0 and frame.height > 0:
        return frame
    raise ProbeError("not a media file: the image has no picture")


def _first_frame(container: InputContainer, stream: VideoStream) -> VideoFrame | None:
    """A clip's first frame (it carries the display matrix), or None when it will not decode."""
    try:
        frame = next(iter(container.decode(stream)), None)
    except av.FFmpegError:
        return None
    return frame if isinstance(frame, VideoFrame) else None


def _rotation(frame: VideoFrame | None) -> int:
    """Degrees clockwise (0, 90, 180, 270) the picture is turned for display: a phone clip's
    display matrix or a JPEG's EXIF orientation (PyAV reports both counter-clockwise)."""
    if frame is None:
        return 0
    return round(-float(frame.rotation) / 90) % 4 * 90


def _displayed(size: tuple[int, int], rotation: int) -> tuple[int, int]:
    """Width and height as the picture is shown: swapped for a quarter turn."""
    return (size[1], size[0]) if rotation in (90, 270) else size


def _dimensions(stream: VideoStream) -> tuple[int, int]:
    width, height = stream.codec_context.width, stream.codec_context.height
    if not width or not height:
        raise ProbeError("video stream has no picture size")
    return int(width), int(height)


def _fps(stream: VideoStream) -> float | None:
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate:
            return round(float(rate), 3)
    return None


def _duration(container: InputContainer, streams: Sequence[Stream]) -> float | None:
    if container.duration is not None and container.duration > 0:
        return float(Fraction(container.duration) / av.time_base)
    lengths = [
        float(stream.duration * stream.time_base)
        for stream in streams
        if stream.duration is not None and stream.time_base is not None
    ]
    return max(lengths) if lengths else None


def _codec_name(stream: Stream) -> str | None:
    codec = stream.codec_context.codec
    return str(codec.canonical_name) if codec is not None else None


def sniff_kind(path: Path) -> MediaKind | None:
    """Guess the kind from the first bytes of an accepted format; None when not recognised."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    return sniff_bytes(head)


def sniff_bytes(head: bytes) -> MediaKind | None:
    """Magic-byte check for mp4/mov/m4a, avi, webm/mkv, jpg, png, gif, webp, mp3, wav, aac."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "audio" if head[8:12] in _AUDIO_BRANDS else "video"
    if head.startswith(b"RIFF") and len(head) >= 12:
        return _RIFF_KINDS.get(head[8:12])
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


_AUDIO_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P "})
_RIFF_KINDS: dict[bytes, MediaKind] = {b"AVI ": "video", b"WEBP": "image", b"WAVE": "audio"}
_MAGIC: tuple[tuple[bytes, MediaKind], ...] = (
    (b"\x1a\x45\xdf\xa3", "video"),
    (b"\xff\xd8\xff", "image"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"ID3", "audio"),
    (b"\xff\xfb", "audio"),
    (b"\xff\xfa", "audio"),
    (b"\xff\xf3", "audio"),
    (b"\xff\xf2", "audio"),
    (b"\xff\xf1", "audio"),
    (b"\xff\xf9", "audio"),
)
