"""The video track of a generated video: uploads (or synthesised clips) laid end to end.

Uploads play in upload order, except logos (images with see-through pixels), which close the
video as an end card and also sit in the top-left corner over the shots before it (a track
"Logo" of its own, ``logo_track``). Allocation rules:
- photos only: even shares of the total;
- clips only: each clip at most its own length (fair water-filling); if the clips together
  are shorter than the total, the sequence repeats until the total is filled;
- clips and photos: each clip gets its own length up to a fair cap (twice an even share),
  the photos share the rest evenly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nemo_mock.mock_server.agent.timeline import (
    DEFAULT_CLIP_MS,
    VIDEO_NAME,
    limit_segments,
    make_track,
    normalize_transitions,
    split_evenly,
    updated,
)
from nemo_mock.mock_server.domain.drafts import MAX_SEGMENTS_PER_TRACK, Segment, Track, TrackType
from nemo_mock.mock_server.domain.media import MediaFile

TRANSITION_MS = 500
MIN_PHOTO_MS = 500


@dataclass(frozen=True)
class Visual:
    """One item of a montage: its source, name, and (for clips) how long it can play."""

    src: str
    name: str
    is_image: bool
    own_ms: int | None  # None for images
    logo: bool = False  # an image with see-through pixels

    @classmethod
    def of_upload(cls, upload: MediaFile) -> Visual:
        if upload.file_type == "image":
            return cls(upload.file_id, upload.filename, True, None, upload.transparent)
        own = int(upload.duration * 1000) if upload.duration else DEFAULT_CLIP_MS
        return cls(upload.file_id, upload.filename, False, max(100, own))


def visuals_of(uploads: Sequence[MediaFile], which: str = "all") -> list[Visual]:
    """The uploads a montage uses, in upload order: "all", "images" or "clips"."""
    wanted = {"all": ("image", "video"), "images": ("image",), "clips": ("video",)}[which]
    chosen = [u for u in uploads if u.file_type in wanted]
    if not chosen:
        chosen = [u for u in uploads if u.file_type in ("image", "video")]
    chosen.sort(key=lambda u: u.transparent)  # a logo closes the video (an end card)
    return [Visual.of_upload(u) for u in chosen[:MAX_SEGMENTS_PER_TRACK]]


def _water_fill(caps: list[int], total: int) -> list[int]:
    """Shares of ``total`` as even as possible, none above its cap (sum may fall short)."""
    shares = [0] * len(caps)
    left, remaining = total, sorted(range(len(caps)), key=lambda i: caps[i])
    while remaining:
        even = left // len(remaining)
        index = remaining[0]
        if caps[index] <= even:
            shares[index] = caps[index]
            left -= caps[index]
            remaining.pop(0)
            continue
        for i, share in zip(remaining, split_evenly(left, len(remaining)), strict=True):
            shares[i] = share
        break
    return shares


def allocate(visuals: Sequence[Visual], total: int) -> list[int]:
    """Milliseconds for each visual; sums to ``total`` unless only clips and they run short."""
    clips = [v for v in visuals if not v.is_image]
    images = len(visuals) - len(clips)
    if not clips:
        return split_evenly(total, len(visuals))
    if not images:
        return _water_fill([v.own_ms or DEFAULT_CLIP_MS for v in visuals], total)
    fair_cap = max(1, 2 * total // len(visuals))
    budget = max(len(clips), total - images * min(MIN_PHOTO_MS, total // len(visuals)))
    caps = [min(v.own_ms or DEFAULT_CLIP_MS, fair_cap) for v in clips]
    if sum(caps) > budget:
        caps = [max(1, c * budget // sum(caps)) for c in caps]
    photo_shares = iter(split_evenly(total - sum(caps), images))
    clip_shares = iter(caps)
    return [next(photo_shares) if v.is_image else next(clip_shares) for v in visuals]


def _segment(visual: Visual, start: int, duration: int) -> Segment:
    if visual.is_image:
        return Segment(
            start=start, duration=duration, src=visual.src, name=visual.name, fit="cover",
            zoom=True,
        )  # fmt: skip
    return Segment(
        start=start, duration=duration, src=visual.src, name=visual.name, fit="cover",
        source_in=0,
    )  # fmt: skip


def _repeat_to_fill(
    visuals: Sequence[Visual], shares: list[int], total: int
) -> list[tuple[Visual, int]]:
    """Pairs of (visual, ms), repeating the sequence while it is shorter than ``total``."""
    pairs = [(v, d) for v, d in zip(visuals, shares, strict=True) if d > 0]
    filled = sum(d for _, d in pairs)
    index = 0
    while filled < total and len(pairs) < MAX_SEGMENTS_PER_TRACK and visuals:
        visual = visuals[index % len(visuals)]
        take = min(visual.own_ms or DEFAULT_CLIP_MS, total - filled)
        pairs.append((visual, take))
        filled += take
        index += 1
    return pairs


def montage_segments(
    visuals: Sequence[Visual], total: int, *, transitions: bool = False
) -> list[Segment]:
    """The segments of a montage of ``visuals`` lasting ``total`` ms (see the module rules)."""
    if not visuals or total <= 0:
        return []
    pairs = _repeat_to_fill(visuals, allocate(visuals, total), total)
    segments, start = [], 0
    for visual, duration in pairs:
        segments.append(_segment(visual, start, duration))
        start += duration
    segments = limit_segments(segments)
    if transitions:
        segments = add_transitions(segments, "fade", TRANSITION_MS)
    return segments


def add_transitions(segments: Sequence[Segment], kind: str, length: int) -> list[Segment]:
    """``kind`` transitions of ``length`` ms between every pair of segments (clamped)."""
    marked = [
        updated(s, transition={"type": kind, "duration": max(100, min(5000, length))})
        if i + 1 < len(segments)
        else updated(s, transition=None)
        for i, s in enumerate(segments)
    ]
    return normalize_transitions(marked)


def video_track(segments: Sequence[Segment]) -> Track:
    return make_track(TrackType.VIDEO, VIDEO_NAME, segments)


LOGO_NAME = "Logo"
LOGO_SCALE = 0.18  # of the canvas's shorter side: a corner mark, not a card
LOGO_FADE_MS = 500


def logo_track(visuals: Sequence[Visual], segments: Sequence[Segment]) -> Track | None:
    """The first logo in the top-left corner over every shot before its end card (None when
    there is no logo or nothing plays before it)."""
    mark = next((v for v in visuals if v.logo), None)
    if mark is None:
        return None
    end = next(
        (s.start for s in segments if s.src == mark.src), segments[-1].end if segments else 0
    )
    if end <= 0:
        return None
    segment = Segment.model_validate({
        "s": 0, "d": end, "src": mark.src, "n": LOGO_NAME, "pos": "top", "al": "left",
        "sc": LOGO_SCALE, "fi": min(LOGO_FADE_MS, end // 2), "fo": min(LOGO_FADE_MS, end // 2),
    })  # fmt: skip
    return make_track(TrackType.VIDEO, LOGO_NAME, [segment])
