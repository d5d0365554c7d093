"""Text on the timeline: title and overlay segments, and placing them into a draft.

Titles live on a text track named "Title" (one title at a time per time range); overlays and
captions on tracks named "Text" ("Text 2", … when new ones would overlap existing ones).
"""

from __future__ import annotations

from collections.abc import Sequence

from nemo_mock.mock_server.agent.timeline import (
    TEXT_COLOR,
    TEXT_FADE_MS,
    TEXT_NAME,
    TITLE_NAME,
    is_text,
    is_title,
    make_track,
    retracked,
    split_evenly,
)
from nemo_mock.mock_server.domain.drafts import (
    MAX_SEGMENTS_PER_TRACK,
    MAX_TRACKS,
    Segment,
    Track,
    TrackType,
)

TITLE_MS = 3000
MAX_TEXT = 2000


def font_sizes(canvas: tuple[int, int]) -> tuple[int, int]:
    """(title, overlay) font sizes in px for a canvas: about 9 % and 5.5 % of the short side."""
    short = max(1, min(canvas))
    return (max(24, round(short * 0.09)), max(16, round(short * 0.055)))


def text_segment(
    text: str, start: int, duration: int, *, role: str, position: str, size: int
) -> Segment:
    fade = min(TEXT_FADE_MS, duration // 2)
    return Segment.model_validate(
        {
            "s": start,
            "d": duration,
            "tx": text.strip()[:MAX_TEXT],
            "n": role,
            "pos": position,
            "fs": min(400, max(8, size)),
            "c": TEXT_COLOR,
            "fi": fade,
            "fo": fade,
        }
    )


def title_segment(
    text: str, start: int, duration: int, canvas: tuple[int, int], position: str = "center"
) -> Segment:
    return text_segment(
        text, start, duration, role=TITLE_NAME, position=position, size=font_sizes(canvas)[0]
    )


def overlay_segments(
    texts: Sequence[str], start: int, end: int, canvas: tuple[int, int], position: str = "bottom"
) -> list[Segment]:
    """``texts`` one after another, sharing [start, end) evenly."""
    span = end - start
    texts = [t for t in texts if t.strip()][: max(0, min(span, MAX_SEGMENTS_PER_TRACK))]
    segments, at = [], start
    for text, share in zip(texts, split_evenly(span, len(texts)), strict=True):
        segments.append(
            text_segment(
                text, at, share, role="Overlay", position=position, size=font_sizes(canvas)[1]
            )
        )
        at += share
    return segments


def _overlaps(a: Segment, b: Segment) -> bool:
    return a.start < b.end and b.start < a.end


def place_title(tracks: list[Track], segment: Segment) -> list[Track]:
    """Put ``segment`` on the Title track, replacing titles it overlaps."""
    index = next((i for i, t in enumerate(tracks) if is_title(t)), None)
    if index is None:
        return [*tracks, make_track(TrackType.TEXT, TITLE_NAME, [segment])]
    kept = [s for s in tracks[index].segments if not _overlaps(s, segment)]
    ordered = sorted([*kept, segment], key=lambda s: s.start)[-MAX_SEGMENTS_PER_TRACK:]
    result = list(tracks)
    result[index] = retracked(tracks[index], ordered)
    return result


def place_overlays(tracks: list[Track], segments: Sequence[Segment]) -> list[Track]:
    """Put ``segments`` on the first overlay track they fit on without overlap, else a new one.

    With no room for another track, they replace what they overlap on the last overlay track.
    """
    for i, track in enumerate(tracks):
        if not is_text(track) or is_title(track):
            continue
        fits = len(track.segments) + len(segments) <= MAX_SEGMENTS_PER_TRACK
        if fits and not any(_overlaps(a, b) for a in track.segments for b in segments):
            result = list(tracks)
            ordered = sorted([*track.segments, *segments], key=lambda s: s.start)
            result[i] = retracked(track, ordered)
            return result
    if len(tracks) < MAX_TRACKS:
        used = {t.name for t in tracks if is_text(t)}
        names = (TEXT_NAME, *(f"{TEXT_NAME} {k}" for k in range(2, MAX_TRACKS + 2)))
        name = next(n for n in names if n not in used)
        return [*tracks, make_track(TrackType.TEXT, name, segments)]
    return _replace_in_last_overlay(tracks, segments)


def _replace_in_last_overlay(tracks: list[Track], segments: Sequence[Segment]) -> list[Track]:
    overlay = [i for i, t in enumerate(tracks) if is_text(t) and not is_title(t)]
    if not overlay:
        return tracks
    track = tracks[overlay[-1]]
    kept = [s for s in track.segments if not any(_overlaps(s, n) for n in segments)]
    ordered = sorted([*kept, *segments], key=lambda s: s.start)[:MAX_SEGMENTS_PER_TRACK]
    result = list(tracks)
    result[overlay[-1]] = retracked(track, ordered)
    return result
