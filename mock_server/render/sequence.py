"""Join a run's shots into one picture stream, with transitions, and draw runs over the base.

``xfade`` only works in full-chroma formats, so every frame passing through it is converted
to yuv444p and back; a plain ``fade`` is drawn with ``overlay`` instead, which stays in
yuv420p. To keep the cost of either to the transitions themselves, each shot is cut
(``split`` + ``trim``) into the frames under the previous transition (head), its own frames
(body) and the frames it plays under the next shot (tail); only tail + head pairs are
blended, and everything is joined with one ``concat``::

    body0 | blend(tail0, head1) | body1 | blend(tail1, head2) | body2 ...
"""

from __future__ import annotations

import ffmpeg
from ffmpeg.nodes import FilterableStream

from nemo_mock.mock_server.render.inputs import InputSet
from nemo_mock.mock_server.render.look import apply_look
from nemo_mock.mock_server.render.timeline import Shot, ShotRun, Timeline
from nemo_mock.mock_server.render.video import shot_stream

ClipSound = tuple[Shot, FilterableStream]


def run_stream(
    run: ShotRun, inputs: InputSet, tl: Timeline
) -> tuple[FilterableStream, list[ClipSound]]:
    """The run's picture (``run.frames`` frames) and the clips' own sound streams."""
    parts: list[FilterableStream] = []
    sounds: list[ClipSound] = []
    previous: tuple[Shot, FilterableStream] | None = None
    for shot in run.shots:
        picture, sound = shot_stream(shot, inputs, tl)
        picture = apply_look(picture, shot)
        if sound is not None:
            sounds.append((shot, sound))
        lead = previous[0].tail if previous else 0
        head, body, tail = _cut(picture, shot, lead)
        if previous is not None and head is not None:
            parts.append(_blend(previous[1], head, previous[0], tl.fps))
        if body is not None:
            parts.append(body)
        previous = (shot, tail) if tail is not None else None
    return _join(parts, tl.fps), sounds


def _cut(
    picture: FilterableStream, shot: Shot, lead: int
) -> tuple[FilterableStream | None, FilterableStream | None, FilterableStream | None]:
    """Head (``lead`` frames), body and tail of a shot's stream; None for an empty part."""
    ranges = [(0, lead), (lead, shot.frames), (shot.frames, shot.length)]
    wanted = [(start, end) for start, end in ranges if end > start]
    if len(wanted) == 1:
        sources = [picture]
    else:
        split = picture.split()
        sources = [_frames(split[i], start, end) for i, (start, end) in enumerate(wanted)]
    found = dict(zip(wanted, sources, strict=True))
    head, body, tail = (found.get(r) for r in ranges)
    return head, body, tail


def _frames(stream: FilterableStream, start: int, end: int) -> FilterableStream:
    return stream.filter("trim", start_frame=start, end_frame=end).filter(
        "setpts", expr="PTS-STARTPTS"
    )


def _blend(
    outgoing: FilterableStream, incoming: FilterableStream, shot: Shot, fps: int
) -> FilterableStream:
    """The transition: ``shot.tail`` frames of ``outgoing`` blended into ``incoming``."""
    if shot.transition == "fade":
        return _crossfade(outgoing, incoming, shot.tail)
    mixed = ffmpeg.filter(
        [outgoing, incoming],
        "xfade",
        transition=shot.transition or "fade",
        duration=f"{shot.tail / fps:.6f}",
        offset=0,
    )
    return mixed.filter("format", pix_fmts="yuv420p")


def _crossfade(
    outgoing: FilterableStream, incoming: FilterableStream, frames: int
) -> FilterableStream:
    """A plain cross-fade that stays in yuv420p, about four times cheaper than ``xfade``.

    The incoming picture's alpha ramps up (``fade``) as it is laid over the outgoing one.
    """
    rising = incoming.filter("format", pix_fmts="yuva420p").filter(
        "fade", t="in", start_frame=0, nb_frames=frames, alpha=1
    )
    return ffmpeg.filter(
        [outgoing, rising], "overlay", x=0, y=0, format="yuv420", shortest=1, eof_action="pass"
    )


def _join(parts: list[FilterableStream], fps: int) -> FilterableStream:
    if len(parts) == 1:
        return parts[0]
    return ffmpeg.concat(*parts, v=1, a=0).filter("fps", fps=fps)


def overlay_run(base: FilterableStream, top: FilterableStream, run: ShotRun) -> FilterableStream:
    """Draw a later track's run over ``base`` from the run's first frame until it ends."""
    shifted = top.filter("setpts", expr=f"PTS+{run.start_frame}")
    return ffmpeg.filter([base, shifted], "overlay", x=0, y=0, eof_action="pass")
