"""Pictures placed in a corner over the video: a logo (or any picture) on a later video track
whose segment names a place (``pos`` + ``al``) and a size (``sc``).

A placed segment is never fitted to the canvas. Its picture is scaled whole, keeping its
shape and its see-through pixels, to fit a square of ``sc`` times the canvas's shorter side
(so a logo has the same size in landscape and portrait), and drawn at the place asked with a
margin of ``MARGIN`` of the shorter side; everywhere else the video below shows through.
``fi``/``fo`` fade its opacity in and out (not to black).
"""

from __future__ import annotations

from dataclasses import dataclass

import ffmpeg
from ffmpeg.nodes import FilterableStream

from nemo_mock.mock_server.render.inputs import InputSet
from nemo_mock.mock_server.render.timeline import Placement, Shot, ShotRun, Timeline

MARGIN = 0.04  # of the canvas's shorter side, between a placed picture and the canvas's edge
_COLOURS = {"out_range": "tv", "out_color_matrix": "bt709"}


@dataclass(frozen=True)
class Box:
    """Where a placed picture may be drawn: its largest size and the overlay position."""

    width: int
    height: int
    x: str  # overlay expressions (W, H the canvas; w, h the picture)
    y: str


def box_for(place: Placement, tl: Timeline) -> Box:
    short = min(tl.width, tl.height)
    side = max(2, round(short * place.scale))
    margin = round(short * MARGIN)
    x = {"left": str(margin), "center": "(W-w)/2", "right": f"W-w-{margin}"}[place.align]
    y = {"top": str(margin), "center": "(H-h)/2", "bottom": f"H-h-{margin}"}[place.position]
    return Box(side, side, x, y)


def placed_stream(shot: Shot, inputs: InputSet, tl: Timeline, box: Box) -> FilterableStream:
    """The shot's picture scaled whole into ``box`` with its alpha, ``shot.frames`` long."""
    assert shot.media is not None
    if shot.media.is_still:
        source = inputs.file(shot.media.path).video.filter("trim", end_frame=1)
    else:
        seconds = (shot.frames + 1) / tl.fps
        options: dict[str, str | int] = {"t": f"{seconds:.6f}", "stream_loop": -1}
        if shot.source_in > 0:
            options["ss"] = f"{shot.source_in:.6f}"
        source = inputs.file(shot.media.path, **options).video.filter("fps", fps=tl.fps)
    picture = source.filter(
        "scale", w=box.width, h=box.height, force_original_aspect_ratio="decrease",
        force_divisible_by=2, **_COLOURS,
    ).filter("setsar", sar="1").filter("format", pix_fmts="yuva420p")  # fmt: skip
    if shot.media.is_still:
        picture = picture.filter("loop", loop=shot.frames - 1, size=1, start=0)
    picture = picture.filter("settb", expr=f"1/{tl.fps}").filter("setpts", expr="N")
    picture = picture.filter("trim", end_frame=shot.frames).filter("setpts", expr="PTS-STARTPTS")
    return _fades(picture, shot)


def _fades(picture: FilterableStream, shot: Shot) -> FilterableStream:
    look = shot.look
    if look is None:
        return picture
    if look.fade_in > 0:
        count = min(look.fade_in, shot.frames)
        picture = picture.filter("fade", t="in", start_frame=0, nb_frames=count, alpha=1)
    if look.fade_out > 0:
        count = min(look.fade_out, shot.frames)
        start = shot.frames - count
        picture = picture.filter("fade", t="out", start_frame=start, nb_frames=count, alpha=1)
    return picture


def overlay_placed(
    base: FilterableStream, run: ShotRun, inputs: InputSet, tl: Timeline
) -> FilterableStream:
    """Draw a placed run (one shot) over ``base`` from its first frame for its frames."""
    assert run.place is not None
    box = box_for(run.place, tl)
    picture = base
    for shot in run.shots:
        top = placed_stream(shot, inputs, tl, box).filter("setpts", expr=f"PTS+{shot.start_frame}")
        picture = ffmpeg.filter(
            [picture, top], "overlay", x=box.x, y=box.y, eof_action="pass", format="yuv420"
        )
    return picture
