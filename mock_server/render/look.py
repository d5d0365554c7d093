"""A video segment's look: colour adjustments, a look filter and picture fades.

``with_look`` reads the draft keys at layout time (``br``, ``ct``, ``sat``, ``flt``, ``fi``,
``fo``, ``sp``); ``apply_look`` adds the filters to the shot's picture stream (yuv420p, time
base ``1/fps``, frames from zero), after it is fitted to the canvas and before it is joined
to its neighbours:

- ``eq``: brightness ``br/100 * 0.4`` (so ±100 shifts luma by ±40 %), contrast and saturation
  ``1 + value/100`` (``sat: -100`` is grey);
- ``bw``: saturation 0 (``hue``); ``warm`` / ``cool``: ``colorbalance`` towards red-yellow or
  blue in shadows, midtones and highlights;
- fades: ``fade`` from black over the first ``fi`` and to black over the last ``fo`` of the
  shot's own frames (a transition's tail plays after them, already black).
"""

from __future__ import annotations

from dataclasses import replace

from ffmpeg.nodes import FilterableStream

from nemo_mock.mock_server.domain.drafts import Segment
from nemo_mock.mock_server.render.canvas import FrameGrid
from nemo_mock.mock_server.render.timeline import Look, Shot

BRIGHTNESS_SPAN = 0.4
_BALANCE = {
    "warm": {"rs": 0.12, "bs": -0.12, "rm": 0.12, "gm": 0.03, "bm": -0.12, "rh": 0.08, "bh": -0.08},
    "cool": {"rs": -0.1, "bs": 0.12, "rm": -0.1, "gm": 0.02, "bm": 0.12, "rh": -0.06, "bh": 0.08},
}


def with_look(shot: Shot, seg: Segment, grid: FrameGrid) -> Shot:
    """``shot`` with the segment's speed and look (None when the segment asks for nothing)."""
    look = Look(
        brightness=seg.brightness or 0,
        contrast=seg.contrast or 0,
        saturation=seg.saturation or 0,
        filter=seg.look,
        fade_in=grid.frame(seg.fade_in or 0),
        fade_out=grid.frame(seg.fade_out or 0),
    )
    speed = seg.speed if seg.speed and shot.media is not None and not shot.media.is_still else 1.0
    return replace(shot, speed=speed, look=None if look == Look() else look)


def apply_look(picture: FilterableStream, shot: Shot) -> FilterableStream:
    look = shot.look
    if look is None:
        return picture
    if look.brightness or look.contrast or look.saturation:
        picture = picture.filter(
            "eq",
            brightness=f"{look.brightness / 100 * BRIGHTNESS_SPAN:.4f}",
            contrast=f"{1 + look.contrast / 100:.4f}",
            saturation=f"{1 + look.saturation / 100:.4f}",
        )
    if look.filter == "bw":
        picture = picture.filter("hue", s=0)
    elif look.filter in _BALANCE:
        picture = picture.filter("colorbalance", **_BALANCE[look.filter])
    return _fades(picture, look, shot.frames)


def _fades(picture: FilterableStream, look: Look, frames: int) -> FilterableStream:
    if look.fade_in > 0:
        picture = picture.filter("fade", t="in", start_frame=0, nb_frames=min(look.fade_in, frames))
    if look.fade_out > 0:
        count = min(look.fade_out, frames)
        picture = picture.filter("fade", t="out", start_frame=frames - count, nb_frames=count)
    return picture
