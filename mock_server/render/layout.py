"""Lay a draft out on the output frame grid (pure apart from calling the resolver).

Rules, in the order they apply:

- Video segments snap to the nearest frame. Within a track, when a segment starts before the
  previous one ends, the previous one is cut at that start.
- The first video track is the base: black fills its gaps, before the first segment and after
  the last, so it covers the whole duration. Later video tracks are drawn over it, in track
  order, only while they have a segment (back-to-back segments form one run). A segment of a
  later track with a size ``sc`` is placed (``placed.py``): drawn whole at ``pos``/``al``
  (top left by default), a run of its own.
- A transition ``tr`` on a segment blends it into the next piece of its run (the next segment,
  or black when a gap follows). The outgoing segment keeps playing (a clip continues, a still
  holds) for ``tr.d`` past its end, under the first ``tr.d`` of the next piece, which starts on
  time; so every segment starts when the draft says and the total stays ``d``. The blend is
  shortened to the next piece's length, and dropped when nothing follows in the run.
- Audio: ``v`` percent (default 35 for music, 100 otherwise), ``ss`` in-point, ``fi``/``fo``
  fades; music (``n`` "BGM" on the segment or track, or a ``bgm_`` src) loops to fill its
  segment unless ``loop`` is false; other sources loop only when ``loop`` is true.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from nemo_mock.mock_server.domain.drafts import Draft, Segment, Track, TrackType, Transition
from nemo_mock.mock_server.render.canvas import FrameGrid
from nemo_mock.mock_server.render.errors import RenderError
from nemo_mock.mock_server.render.look import with_look
from nemo_mock.mock_server.render.media import ResolvedMedia, Resolver
from nemo_mock.mock_server.render.timeline import Caption, Placement, Shot, ShotRun, Sound, Timeline

BGM_VOLUME = 35
DEFAULT_VOLUME = 100


@dataclass(frozen=True)
class _Placed:
    """A shot between two frame indices, before runs and transitions are settled."""

    first: int
    last: int
    shot: Shot
    transition: Transition | None = None
    place: Placement | None = None


def build_timeline(draft: Draft, resolve: Resolver, size: tuple[int, int], fps: int) -> Timeline:
    """Resolve every ``src`` and lay the draft out at ``size`` and ``fps``."""
    grid = FrameGrid(fps)
    total = grid.total_frames(draft.duration)
    tracks = [(ti, t) for ti, t in enumerate(draft.tracks) if t.type is TrackType.VIDEO]
    placed = [_place_track(ti, track, grid, resolve) for ti, track in tracks]
    base = _base_run(placed[0] if placed else [], total, grid)
    overlays = tuple(run for items in placed[1:] for run in _overlay_runs(items, grid))
    return Timeline(
        width=size[0],
        height=size[1],
        fps=fps,
        duration_ms=draft.duration,
        total_frames=total,
        base=base,
        overlays=overlays,
        sounds=tuple(_sounds(draft, resolve)),
        captions=tuple(_captions(draft, grid)),
    )


def _place_track(ti: int, track: Track, grid: FrameGrid, resolve: Resolver) -> list[_Placed]:
    items: list[_Placed] = []
    for si in sorted(range(len(track.segments)), key=lambda i: track.segments[i].start):
        seg = track.segments[si]
        media = _picture(resolve(seg.src or ""), f"t[{ti}].sg[{si}]")
        first, last = grid.frame(seg.start), grid.frame(seg.end)
        if items and items[-1].last > first:
            items[-1] = replace(items[-1], last=first)
        shot = with_look(_shot(seg, media), seg, grid)
        items.append(_Placed(first, last, shot, seg.transition, _placement(seg)))
    return [item for item in items if item.last > item.first]


def _placement(seg: Segment) -> Placement | None:
    if seg.scale is None:
        return None
    return Placement(seg.position or "top", seg.align or "left", seg.scale)


def _picture(media: ResolvedMedia, where: str) -> ResolvedMedia:
    if media.kind == "audio":
        raise RenderError(
            f"{where}: {media.path.name} is audio only; a video segment needs a picture"
        )
    return media


def _shot(seg: Segment, media: ResolvedMedia) -> Shot:
    animated = not media.is_still
    source_in = (seg.source_in or 0) / 1000 if animated else 0.0
    if animated and media.duration:
        source_in = min(source_in, max(0.0, media.duration - 0.1))
    return Shot(
        media=media,
        start_frame=0,
        frames=0,
        source_in=source_in,
        fit=seg.fit or "cover",
        zoom=bool(seg.zoom) and media.is_still,
        loop=seg.loop if seg.loop is not None else media.kind == "image",
        volume=(seg.volume if seg.volume is not None else DEFAULT_VOLUME) / 100,
        fade_in_ms=seg.fade_in or 0,
        fade_out_ms=seg.fade_out or 0,
    )


def _black(first: int, last: int) -> _Placed:
    return _Placed(first, last, Shot(media=None, start_frame=first, frames=last - first))


def _base_run(items: list[_Placed], total: int, grid: FrameGrid) -> ShotRun:
    pieces: list[_Placed] = []
    cursor = 0
    for item in items:
        if item.first > cursor:
            pieces.append(_black(cursor, item.first))
        pieces.append(item)
        cursor = item.last
    if cursor < total:
        pieces.append(_black(cursor, total))
    return ShotRun(0, _linked(pieces, grid))


def _overlay_runs(items: list[_Placed], grid: FrameGrid) -> Iterator[ShotRun]:
    run: list[_Placed] = []
    for item in items:
        if item.place is not None:  # whole at its place: a run of its own, no transition
            shot = replace(item.shot, start_frame=item.first, frames=item.last - item.first)
            yield ShotRun(item.first, (shot,), item.place)
            continue
        if run and item.first != run[-1].last:
            yield ShotRun(run[0].first, _linked(run, grid))
            run = []
        run.append(item)
    if run:
        yield ShotRun(run[0].first, _linked(run, grid))


def _linked(pieces: list[_Placed], grid: FrameGrid) -> tuple[Shot, ...]:
    """Fix each shot's frames and turn transitions into tails over the next piece."""
    shots = []
    for i, piece in enumerate(pieces):
        shot = replace(piece.shot, start_frame=piece.first, frames=piece.last - piece.first)
        following = pieces[i + 1] if i + 1 < len(pieces) else None
        if piece.transition is not None and following is not None:
            tail = min(grid.frame(piece.transition.duration), following.last - following.first)
            if tail > 0:
                shot = replace(shot, transition=piece.transition.type, tail=tail)
        shots.append(shot)
    return tuple(shots)


def _sounds(draft: Draft, resolve: Resolver) -> Iterator[Sound]:
    for ti, track in enumerate(draft.tracks):
        if track.type is not TrackType.AUDIO:
            continue
        for si, seg in enumerate(track.segments):
            media = resolve(seg.src or "")
            if not (media.kind == "audio" or media.has_audio):
                raise RenderError(f"t[{ti}].sg[{si}]: {media.path.name} has no sound")
            yield _sound(track, seg, media)


def _is_music(track: Track, seg: Segment) -> bool:
    names = {(seg.name or "").strip().lower(), (track.name or "").strip().lower()}
    return "bgm" in names or (seg.src or "").startswith("bgm_")


def _sound(track: Track, seg: Segment, media: ResolvedMedia) -> Sound:
    music = _is_music(track, seg)
    volume = seg.volume if seg.volume is not None else (BGM_VOLUME if music else DEFAULT_VOLUME)
    return Sound(
        media=media,
        start_ms=seg.start,
        duration_ms=seg.duration,
        source_in_ms=seg.source_in or 0,
        volume=volume / 100,
        fade_in_ms=seg.fade_in or 0,
        fade_out_ms=seg.fade_out or 0,
        loop=seg.loop if seg.loop is not None else music,
    )


def _captions(draft: Draft, grid: FrameGrid) -> Iterator[Caption]:
    for track in draft.tracks:
        if track.type is not TrackType.TEXT:
            continue
        for seg in track.segments:
            first, last = grid.frame(seg.start), grid.frame(seg.end)
            if last > first and seg.text:
                yield Caption(
                    text=seg.text,
                    start=grid.seconds(first),
                    end=grid.seconds(last),
                    position=seg.position or "center",
                    font_size=seg.font_size,
                    color=seg.color,
                    fade_in=(seg.fade_in or 0) / 1000,
                    fade_out=(seg.fade_out or 0) / 1000,
                    font=seg.font,
                    bold=bool(seg.bold),
                    shadow=seg.shadow,
                    align=seg.align or "center",
                    role=seg.name,
                )
