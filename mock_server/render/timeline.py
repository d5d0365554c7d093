"""The draft laid out on the output frame grid: shots, sounds and captions, as plain data.

``layout.py`` builds a :class:`Timeline` from a draft; ``graph.py`` turns it into an ffmpeg
filter graph. Times that drive video are in frames at the output rate; audio and text keep
milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nemo_mock.mock_server.render.media import ResolvedMedia

Fit = Literal["cover", "contain"]
Position = Literal["top", "center", "bottom"]
Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Look:
    """How a shot's picture is adjusted: ``eq`` values, a look filter, fades (frames)."""

    brightness: int = 0  # -100..100
    contrast: int = 0
    saturation: int = 0
    filter: str | None = None  # "bw" | "warm" | "cool"
    fade_in: int = 0  # frames from black at the shot's start
    fade_out: int = 0  # frames to black at the end of its own frames


@dataclass(frozen=True)
class Shot:
    """One piece of a video run: a segment's picture, or black (``media`` None) for a gap.

    The shot owns ``frames`` frames of the timeline. When it has a ``transition`` it plays
    ``tail`` more frames, under the first ``tail`` frames of the next shot, and the two are
    blended there (``xfade``), so the run still lasts the sum of the shots' ``frames``.
    """

    media: ResolvedMedia | None
    start_frame: int  # where the shot starts on the timeline
    frames: int
    source_in: float = 0.0  # seconds into the media
    fit: Fit = "cover"
    zoom: bool = False
    loop: bool = False
    volume: float = 1.0  # the clip's own sound
    fade_in_ms: int = 0
    fade_out_ms: int = 0
    transition: str | None = None  # xfade transition name into the next shot
    tail: int = 0
    speed: float = 1.0  # source seconds played per timeline second
    look: Look | None = None  # colour adjustments and picture fades
    room: tuple[int, int] = (0, 0)  # px kept free of the picture at the top and bottom

    @property
    def length(self) -> int:
        """Frames this shot's stream has (its own plus the transition tail)."""
        return self.frames + self.tail

    @property
    def has_sound(self) -> bool:
        return self.media is not None and self.media.kind == "video" and self.media.has_audio


@dataclass(frozen=True)
class Placement:
    """Where a placed picture goes (``pos``, ``al``) and its size (``sc``: a share of the
    canvas's shorter side)."""

    position: Position
    align: Align
    scale: float


@dataclass(frozen=True)
class ShotRun:
    """Shots played back to back from ``start_frame``; a placed run (``place``) is drawn
    whole at its place instead of filling the canvas."""

    start_frame: int
    shots: tuple[Shot, ...]
    place: Placement | None = None

    @property
    def frames(self) -> int:
        return sum(shot.frames for shot in self.shots)


@dataclass(frozen=True)
class Sound:
    """An audio-track segment: a source placed on the timeline."""

    media: ResolvedMedia
    start_ms: int
    duration_ms: int
    source_in_ms: int
    volume: float
    fade_in_ms: int
    fade_out_ms: int
    loop: bool


@dataclass(frozen=True)
class Caption:
    """A text-track segment, shown from ``start`` to ``end`` (seconds, frame-snapped)."""

    text: str
    start: float
    end: float
    position: Position
    font_size: int | None
    color: str | None
    fade_in: float  # seconds
    fade_out: float
    font: str | None = None  # "sans" | "serif" | "mono"
    bold: bool = False
    shadow: bool | None = None  # None a soft shadow, True a strong one, False none
    align: str = "center"  # "left" | "center" | "right"
    role: str | None = None  # the segment's ``n``: "Title", "Overlay", "Subtitle", "Sticker"…


@dataclass(frozen=True)
class Timeline:
    """Everything the filter graph needs, resolved and snapped to the frame grid."""

    width: int
    height: int
    fps: int
    duration_ms: int
    total_frames: int
    base: ShotRun  # the first video track with black in its gaps; covers every frame
    overlays: tuple[ShotRun, ...]  # later video tracks, drawn over the base in order
    sounds: tuple[Sound, ...]
    captions: tuple[Caption, ...]
