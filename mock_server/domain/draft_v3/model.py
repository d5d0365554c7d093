"""The part of a V3 draft the mock understands: timing, media, text and transitions.

Everything else in the template (render bodies, data, components, effects) is kept in the
template text itself, which is stored verbatim; this model is derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass

TRACK_TYPES = frozenset(
    {"video", "image", "text", "graphics", "effect", "audio", "voice", "bgm", "sfx", "subtitle"}
)
VISUAL_TYPES = frozenset({"video", "image"})
AUDIO_TYPES = frozenset({"audio", "voice", "bgm", "sfx"})
TEXT_TYPES = frozenset({"text", "subtitle"})
MEDIA_TAGS = frozenset({"video", "image", "audio", "img"})


@dataclass(frozen=True)
class V3Clip:
    clip_id: str
    start: int  # ms, composition time
    end: int
    src: str | None = None  # media URL exactly as written
    media_tag: str | None = None
    text: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    volume: int | None = None


@dataclass(frozen=True)
class V3Track:
    track_id: str
    type: str
    clips: tuple[V3Clip, ...]


@dataclass(frozen=True)
class V3Transition:
    type: str
    from_clip: str
    to_clip: str
    start: int
    duration: int


@dataclass(frozen=True)
class V3Draft:
    fps: int
    width: int
    height: int
    duration: int
    tracks: tuple[V3Track, ...]
    transitions: tuple[V3Transition, ...]
    #: Platform resource versions the draft pins: ``<use resource="…" version="…"/>``.
    resources: tuple[tuple[str, str | None], ...] = ()

    def media_urls(self) -> list[str]:
        seen: dict[str, None] = {}
        for track in self.tracks:
            for clip in track.clips:
                if clip.src:
                    seen.setdefault(clip.src)
        return list(seen)

    def frame_count(self) -> int:
        return max(1, self.duration * self.fps // 1000)
