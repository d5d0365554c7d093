"""The timeline draft in its short-key wire format (``t``/``tt``/``sg``/``d``/``m``).

The agent writes drafts, the state endpoint returns them, clients send them
back for rendering and the render engine reads them. Python code uses the
long names (``draft.tracks[0].segments``); the wire uses the short keys.
Unknown keys are kept (real drafts carry more than is documented).

The draft is a wire document parsed at several boundaries, so it is a
pydantic model rather than a dataclass. Limits refuse absurd drafts with a
message naming the offending field.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from nemo_mock.mock_server.domain.errors import InvalidDraft
from nemo_mock.mock_server.domain.validation import describe_errors

MAX_TRACKS = 20
MAX_SEGMENTS_PER_TRACK = 500
MAX_DURATION_MS = 900_000  # the 15-minute stream limit bounds any generation
MAX_LONG_SIDE = 1920
MAX_SHORT_SIDE = 1080
MIN_SIDE = 16

FontName = Literal["sans", "serif", "mono"]
LookFilter = Literal["bw", "warm", "cool"]
TransitionType = Literal[
    "fade", "dissolve", "wipeleft", "wiperight", "slideleft", "slideright", "circleopen"
]


class TrackType(IntEnum):
    VIDEO = 0
    AUDIO = 1
    TEXT = 7

    @property
    def label(self) -> str:
        return {0: "Video", 1: "Audio", 7: "Text"}[self.value]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class Transition(_Wire):
    type: TransitionType = "fade"
    duration: int = Field(alias="d", ge=100, le=5000)


class Segment(_Wire):
    id: str | None = None
    start: int = Field(alias="s", ge=0)
    duration: int = Field(alias="d", ge=1)
    src: str | None = Field(default=None, max_length=2048)
    name: str | None = Field(default=None, alias="n", max_length=500)
    source_in: int | None = Field(default=None, alias="ss", ge=0)
    volume: int | None = Field(default=None, alias="v", ge=0, le=200)
    fade_in: int | None = Field(default=None, alias="fi", ge=0)
    fade_out: int | None = Field(default=None, alias="fo", ge=0)
    text: str | None = Field(default=None, alias="tx", max_length=2000)
    position: Literal["top", "center", "bottom"] | None = Field(default=None, alias="pos")
    font_size: int | None = Field(default=None, alias="fs", ge=8, le=400)
    color: str | None = Field(default=None, alias="c", pattern=r"^#[0-9A-Fa-f]{6}$")
    fit: Literal["cover", "contain"] | None = None
    zoom: bool | None = Field(default=None, alias="z")
    transition: Transition | None = Field(default=None, alias="tr")
    loop: bool | None = None
    # text style (tt 7): face, bold, shadow, horizontal alignment
    font: FontName | None = Field(default=None, alias="fn")
    bold: bool | None = Field(default=None, alias="b")
    shadow: bool | None = Field(default=None, alias="sh")
    align: Literal["left", "center", "right"] | None = Field(default=None, alias="al")
    # picture (tt 0): playback speed, colour adjustments (-100..100), a look filter
    speed: float | None = Field(default=None, alias="sp", ge=0.25, le=4.0)
    brightness: int | None = Field(default=None, alias="br", ge=-100, le=100)
    contrast: int | None = Field(default=None, alias="ct", ge=-100, le=100)
    saturation: int | None = Field(default=None, alias="sat", ge=-100, le=100)
    look: LookFilter | None = Field(default=None, alias="flt")
    # a picture placed on a later video track: its size as a share of the canvas's shorter
    # side (with ``pos`` and ``al`` for where), drawn whole instead of filling the canvas
    scale: float | None = Field(default=None, alias="sc", ge=0.05, le=1.0)

    @property
    def end(self) -> int:
        return self.start + self.duration


class Track(_Wire):
    type: TrackType = Field(alias="tt")
    name: str | None = Field(default=None, alias="n", max_length=500)
    segments: list[Segment] = Field(alias="sg", max_length=MAX_SEGMENTS_PER_TRACK)

    @model_validator(mode="after")
    def _segments_fit_their_track(self) -> Track:
        for i, seg in enumerate(self.segments):
            if self.type is TrackType.TEXT and not (seg.text or "").strip():
                raise ValueError(f"sg[{i}]: a text segment needs non-empty 'tx'")
            if self.type is not TrackType.TEXT and not seg.src:
                raise ValueError(f"sg[{i}]: a {self.type.label.lower()} segment needs 'src'")
        return self


class DraftMeta(_Wire):
    title: str | None = Field(default=None, max_length=500)
    width: int | None = Field(default=None, ge=MIN_SIDE, le=MAX_LONG_SIDE)
    height: int | None = Field(default=None, ge=MIN_SIDE, le=MAX_LONG_SIDE)
    fps: int | None = Field(default=None, ge=1, le=60)

    @model_validator(mode="after")
    def _fits_the_largest_canvas(self) -> DraftMeta:
        if self.width and self.height and min(self.width, self.height) > MAX_SHORT_SIDE:
            raise ValueError(
                f"canvas {self.width}x{self.height} is larger than 1920x1080 or 1080x1920"
            )
        return self


class Draft(_Wire):
    tracks: list[Track] = Field(default_factory=list, alias="t", max_length=MAX_TRACKS)
    duration: int = Field(default=0, alias="d", ge=0, le=MAX_DURATION_MS)
    meta: DraftMeta = Field(default_factory=DraftMeta, alias="m")

    @model_validator(mode="before")
    @classmethod
    def _duration_defaults_to_the_last_end(cls, value: Any) -> Any:
        if isinstance(value, dict) and value.get("d") is None and value.get("duration") is None:
            value = {**value, "d": _last_end(value)}
        return value

    @model_validator(mode="after")
    def _segments_inside_the_duration(self) -> Draft:
        for ti, track in enumerate(self.tracks):
            for si, seg in enumerate(track.segments):
                if seg.end > self.duration:
                    raise ValueError(
                        f"t[{ti}].sg[{si}] ends at {seg.end} ms, after the draft's "
                        f"duration d={self.duration} ms"
                    )
        return self

    @property
    def export_ready(self) -> bool:
        """Documented rule: at least one track with a non-empty ``sg``."""
        return any(track.segments for track in self.tracks)

    def summary(self) -> str:
        """``Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. …`` as clients print it."""
        parts = [f"{i}. {_track_summary(track)}" for i, track in enumerate(self.tracks, 1)]
        noun = "track" if len(self.tracks) == 1 else "tracks"
        return f"Timeline ({len(self.tracks)} {noun}): " + " ".join(parts)


def parse_draft(value: Any, *, where: str = "draft") -> Draft:
    """Validate a wire draft, raising ``InvalidDraft`` whose message names each bad field."""
    try:
        return Draft.model_validate(value)
    except ValidationError as exc:
        raise InvalidDraft(
            f"invalid {where}: {describe_errors(exc.errors(), prefix=where)}"
        ) from None


def _last_end(raw: dict[str, Any]) -> int:
    """The latest segment end, reading only what has the right shape: a ``t`` or ``sg``
    of another type (a number, a boolean) is left to validation to name."""
    ends = [0]
    tracks = raw.get("t")
    for track in tracks if isinstance(tracks, list) else []:
        segments = track.get("sg") if isinstance(track, dict) else None
        for seg in segments if isinstance(segments, list) else []:
            if (
                isinstance(seg, dict)
                and isinstance(seg.get("s"), int)
                and isinstance(seg.get("d"), int)
            ):
                ends.append(seg["s"] + seg["d"])
    return max(ends)


def _track_summary(track: Track) -> str:
    label = {TrackType.VIDEO: "Video", TrackType.AUDIO: "BGM", TrackType.TEXT: "Title"}[track.type]
    if not track.segments:
        return f"{label}: (empty)"
    start = min(s.start for s in track.segments) / 1000
    end = max(s.end for s in track.segments) / 1000
    first = track.segments[0]
    what = f'"{first.text}"' if track.type is TrackType.TEXT else (first.name or track.name or "")
    span = f"{start:g}-{end:g}s"
    if track.type is TrackType.AUDIO and first.volume is not None:
        span += f", {first.volume}%"
    return f"{label}: {what} ({span})".replace(":  (", ": (")
