"""Reading and rebuilding drafts: track roles, segment kinds, repacking and refitting.

Drafts are frozen pydantic models; every helper builds new ones. Segments are rebuilt with
``updated`` so that field limits are validated again (``model_copy`` would skip them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from nemo_mock.mock_server.domain.drafts import (
    MAX_DURATION_MS,
    MAX_SEGMENTS_PER_TRACK,
    Draft,
    DraftMeta,
    Segment,
    Track,
    TrackType,
)
from nemo_mock.mock_server.domain.media import MediaFile

SegmentKind = Literal["image", "clip"]

VIDEO_NAME = "Video"
BGM_NAME = "BGM"
VOICEOVER_NAME = "Voiceover"
TITLE_NAME = "Title"
TEXT_NAME = "Text"

BGM_VOLUME = 35
BGM_UNDER_VOICE_VOLUME = 20
BGM_FADE_IN_MS = 1000
BGM_FADE_OUT_MS = 2000
TEXT_FADE_MS = 300
TEXT_COLOR = "#FFFFFF"
DEFAULT_FPS = 30
DEFAULT_CLIP_MS = 3000  # assumed length of a clip whose duration is unknown


def updated(segment: Segment, **fields: Any) -> Segment:
    """``segment`` with ``fields`` (long names) changed, validated again."""
    return Segment.model_validate({**segment.model_dump(), **fields})


def make_track(kind: TrackType, name: str, segments: Sequence[Segment]) -> Track:
    return Track(type=kind, name=name, segments=list(segments))


def rebuild(
    draft: Draft,
    tracks: Iterable[Track] | None = None,
    *,
    duration: int | None = None,
    meta: DraftMeta | None = None,
) -> Draft:
    """A new draft with ``tracks``/``duration``/``meta`` replaced; other fields kept."""
    extra = dict(draft.model_extra or {})
    return Draft(
        tracks=list(draft.tracks if tracks is None else tracks),
        duration=draft.duration if duration is None else duration,
        meta=draft.meta if meta is None else meta,
        **extra,
    )


def with_meta(meta: DraftMeta, **fields: Any) -> DraftMeta:
    return DraftMeta.model_validate({**meta.model_dump(), **fields})


# --------------------------------------------------------------------------- roles


def is_bgm(track: Track) -> bool:
    return track.type is TrackType.AUDIO and (track.name or "").lower() != "voiceover"


def is_voiceover(track: Track) -> bool:
    return track.type is TrackType.AUDIO and (track.name or "").lower() == "voiceover"


def is_title(track: Track) -> bool:
    return track.type is TrackType.TEXT and (track.name or "").lower() == "title"


def is_text(track: Track) -> bool:
    return track.type is TrackType.TEXT


def is_video(track: Track) -> bool:
    return track.type is TrackType.VIDEO


def find_track(draft: Draft, role: Callable[[Track], bool]) -> int | None:
    return next((i for i, track in enumerate(draft.tracks) if role(track)), None)


def main_video(draft: Draft) -> int | None:
    """The video track with the most segments (the first on ties), or None."""
    best: int | None = None
    for i, track in enumerate(draft.tracks):
        if is_video(track) and (
            best is None or len(track.segments) > len(draft.tracks[best].segments)
        ):
            best = i
    return best


def put_track(tracks: list[Track], index: int | None, track: Track | None) -> list[Track]:
    """Replace (or drop, when ``track`` is None) ``tracks[index]``; append when index is None."""
    result = list(tracks)
    if index is None:
        if track is not None:
            result.append(track)
        return result
    if track is None or not track.segments:
        del result[index]
    else:
        result[index] = track
    return result


# --------------------------------------------------------------------------- segments


def file_id_of(src: str | None) -> str | None:
    """The upload id a ``src`` names: ``f_…`` itself or a CDN URL with ``/cdn/f_…/``."""
    if not src:
        return None
    if src.startswith("f_"):
        return src
    marker = "/cdn/"
    if marker in src:
        part = src.split(marker, 1)[1].split("/", 1)[0]
        return part if part.startswith("f_") else None
    return None


def upload_for(src: str | None, uploads: Sequence[MediaFile]) -> MediaFile | None:
    file_id = file_id_of(src)
    return next((u for u in uploads if u.file_id == file_id), None) if file_id else None


_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")


def segment_kind(segment: Segment, uploads: Sequence[MediaFile]) -> SegmentKind:
    upload = upload_for(segment.src, uploads)
    if upload is not None:
        return "image" if upload.file_type == "image" else "clip"
    name = (segment.name or segment.src or "").lower()
    return "image" if name.endswith(_IMAGE_SUFFIXES) else "clip"


def source_ms(
    segment: Segment, uploads: Sequence[MediaFile], generated: Sequence[dict[str, Any]]
) -> int | None:
    """How much of a clip's source is left after its in-point; None for images/unknown."""
    upload = upload_for(segment.src, uploads)
    seconds: float | None = None
    if upload is not None:
        if upload.file_type == "image":
            return None
        seconds = upload.duration if upload.duration else DEFAULT_CLIP_MS / 1000
    else:
        entry = next((g for g in generated if g.get("id") == segment.src), None)
        raw = entry.get("seconds") if entry else None
        seconds = float(raw) if isinstance(raw, int | float) else None
    if seconds is None:
        return None
    return max(1, int(seconds * 1000) - (segment.source_in or 0))


def repack(segments: Sequence[Segment]) -> list[Segment]:
    """The segments back to back from 0, in order, durations kept."""
    packed, start = [], 0
    for segment in segments:
        packed.append(updated(segment, start=start))
        start += segment.duration
    return packed


def normalize_transitions(segments: Sequence[Segment]) -> list[Segment]:
    """Transitions only between segments, never longer than half of either neighbour."""
    result = []
    for i, segment in enumerate(segments):
        tr = segment.transition
        if tr is not None:
            nxt = segments[i + 1] if i + 1 < len(segments) else None
            limit = min(segment.duration, nxt.duration) // 2 if nxt else 0
            length = min(tr.duration, limit)
            if length < 100:
                segment = updated(segment, transition=None)
            elif length != tr.duration:
                segment = updated(segment, transition={"type": tr.type, "duration": length})
        result.append(segment)
    return result


def split_evenly(total: int, count: int) -> list[int]:
    """``total`` split into ``count`` integers that differ by at most one."""
    if count <= 0:
        return []
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def track_end(track: Track) -> int:
    return max((s.end for s in track.segments), default=0)


def content_end(tracks: Iterable[Track]) -> int:
    return max((track_end(t) for t in tracks), default=0)


def clamp_ms(ms: float) -> int:
    return int(min(MAX_DURATION_MS, max(1, round(ms))))


# --------------------------------------------------------------------------- fitting


def audio_fades(segment: Segment, duration: int) -> dict[str, Any]:
    """Fade lengths kept, but never longer than half the segment."""
    half = duration // 2
    fields: dict[str, Any] = {}
    if segment.fade_in is not None:
        fields["fade_in"] = min(segment.fade_in, half)
    if segment.fade_out is not None:
        fields["fade_out"] = min(segment.fade_out, half)
    return fields


def fit_inside(segment: Segment, total: int) -> Segment | None:
    """``segment`` moved or trimmed to end by ``total``; None when nothing of it fits."""
    if total <= 0:
        return None
    duration = min(segment.duration, total)
    start = min(segment.start, total - duration)
    fields: dict[str, Any] = {"start": start, "duration": duration}
    if segment.fade_in is not None or segment.fade_out is not None:
        fields.update(audio_fades(segment, duration))
    return updated(segment, **fields)


def trimmed(segments: Sequence[Segment], total: int) -> list[Segment]:
    """Segments cut at ``total``: later ones dropped, one crossing it shortened."""
    result = []
    for segment in segments:
        if segment.start >= total:
            continue
        if segment.end > total:
            segment = updated(segment, duration=total - segment.start)
        result.append(segment)
    return result


KEEP_TEXT_MS = 3000  # texts this short keep their length when a video is rescaled


def scaled(segment: Segment, factor: float, total: int) -> Segment | None:
    """``segment`` rescaled by ``factor``; short texts keep their length, all stay inside."""
    start = round(segment.start * factor)
    duration = max(1, round(segment.duration * factor), min(segment.duration, KEEP_TEXT_MS))
    return fit_inside(
        updated(segment, start=min(start, max(0, total - 1)), duration=duration), total
    )


def retracked(track: Track, segments: Sequence[Segment]) -> Track:
    """``track`` (name, extra keys) holding ``segments`` instead."""
    return Track.model_validate(
        {**track.model_dump(exclude={"segments"}), "segments": list(segments)}
    )


def _refit_segment(
    track: Track, segment: Segment, old: int, new: int, scale: bool
) -> Segment | None:
    if is_bgm(track) and segment.start == 0 and segment.end >= old:
        return updated(segment, duration=new, **audio_fades(segment, new))
    if is_text(track):
        return scaled(segment, new / old, new) if scale and old > 0 else fit_inside(segment, new)
    if segment.start >= new:
        return None
    return fit_inside(segment, new)


def refit_track(track: Track, old_total: int, new_total: int, scale: bool) -> Track:
    """Fit a non-video track to a new total: music spans it, texts scale or stay inside."""
    fitted = (_refit_segment(track, s, old_total, new_total, scale) for s in track.segments)
    return retracked(track, [s for s in fitted if s is not None])


def refit_others(draft: Draft, keep: int | None, new_total: int, *, scale: bool) -> list[Track]:
    """Every track but ``keep`` refitted from ``draft.duration`` to ``new_total`` (same order;
    tracks may end up empty: ``prune`` them once the kept track is replaced)."""
    return [
        track if i == keep else refit_track(track, draft.duration, new_total, scale)
        for i, track in enumerate(draft.tracks)
    ]


def prune(tracks: Iterable[Track]) -> list[Track]:
    """Tracks without segments removed."""
    return [track for track in tracks if track.segments]


def limit_segments(segments: list[Segment]) -> list[Segment]:
    return segments[:MAX_SEGMENTS_PER_TRACK]
