"""Filter chains for the picture of one shot (``sequence.py`` joins them).

Every shot's stream is exactly ``shot.length`` frames of ``width x height`` yuv420p at the
output rate (time base ``1/fps``), so shots concatenate and blend without surprises:

- a still is scaled once (cover: crop to the canvas shape, then scale, when that cuts at
  most ``SAFE_CROP``, else the whole picture over a blurred, dimmed fill of itself; contain:
  fit and pad with black), then repeated (``loop``) or, with zoom, pushed in gently (``zoompan``,
  1.0 -> 1.08);
- a clip is read from its in-point (``-ss``) for the shot's length (``-t``, looping the file
  with ``-stream_loop`` when asked), resampled to the output rate, scaled like a still, and
  holds its last frame (``tpad``) when it runs out;
- black is one ``color`` frame, repeated like a still;
- a logo (a still with see-through pixels) is never fitted to the canvas: it is drawn whole,
  centred within ``LOGO_BOX`` of the canvas, on a soft gradient card (``logo_card``).
"""

from __future__ import annotations

from typing import Literal

from ffmpeg.nodes import FilterableStream

from nemo_mock.mock_server.render.inputs import InputSet
from nemo_mock.mock_server.render.timeline import Fit, Shot, Timeline

ZOOM_AMOUNT = 0.08
SAFE_CROP = 0.12  # at most this share of a picture's width or height may be cropped away
Framing = Fit | Literal["blur"]


def shot_stream(
    shot: Shot, inputs: InputSet, tl: Timeline
) -> tuple[FilterableStream, FilterableStream | None]:
    """The shot's picture and, for a clip with sound, its audio stream (untrimmed)."""
    if shot.media is None:
        return _black(shot, inputs, tl), None
    if shot.media.is_still:
        return _still(shot, inputs, tl), None
    return _clip(shot, inputs, tl)


def _black(shot: Shot, inputs: InputSet, tl: Timeline) -> FilterableStream:
    size = f"{tl.width}x{tl.height}"
    source = inputs.lavfi(f"color=c=black:s={size}:r={tl.fps}:d={1 / tl.fps:.6f}")
    frame = source.video.filter("trim", end_frame=1).filter("format", pix_fmts="yuv420p")
    return _repeat(frame, shot, tl)


def _still(shot: Shot, inputs: InputSet, tl: Timeline) -> FilterableStream:
    assert shot.media is not None
    frame = inputs.file(shot.media.path).video.filter("trim", end_frame=1)
    if shot.media.is_logo:
        picture = logo_card(frame, shot.media.ink or 0.0, inputs, tl)
    else:
        picture = fit_to_canvas(frame, framing(shot, tl), tl.width, tl.height, _room(shot, tl))
    if not shot.zoom:
        return _repeat(picture, shot, tl)
    middle = _middle(tl.height, _room(shot, tl))  # the zoom keeps the picture's middle in place
    zoomed = picture.filter(
        "zoompan",
        z=f"1+{ZOOM_AMOUNT}*on/{max(1, shot.length - 1)}",
        x="iw/2-(iw/zoom/2)",
        y=f"{middle}-({middle}/zoom)",
        d=shot.length,
        s=f"{tl.width}x{tl.height}",
        fps=tl.fps,
    )
    return _finish(_renumber(zoomed, tl), shot, tl)


def _repeat(frame: FilterableStream, shot: Shot, tl: Timeline) -> FilterableStream:
    """One prepared frame shown for the whole shot (the frame is shared, not copied)."""
    repeated = frame.filter("loop", loop=shot.length - 1, size=1, start=0)
    return _finish(_renumber(repeated, tl), shot, tl)


def _renumber(stream: FilterableStream, tl: Timeline) -> FilterableStream:
    """Frame n at n / fps."""
    return stream.filter("settb", expr=f"1/{tl.fps}").filter("setpts", expr="N")


def _clip(
    shot: Shot, inputs: InputSet, tl: Timeline
) -> tuple[FilterableStream, FilterableStream | None]:
    assert shot.media is not None
    seconds = (shot.length + 1) / tl.fps * shot.speed
    options: dict[str, str | int] = {"t": f"{seconds:.6f}"}
    if shot.source_in > 0:
        options["ss"] = f"{shot.source_in:.6f}"
    remaining = (shot.media.duration or 0.0) - shot.source_in
    if shot.loop and remaining < seconds:
        options["stream_loop"] = -1
    source = inputs.file(shot.media.path, **options)
    pts = "PTS-STARTPTS" if shot.speed == 1 else f"(PTS-STARTPTS)/{shot.speed:g}"
    picture = source.video.filter("setpts", expr=pts).filter("fps", fps=tl.fps)
    picture = fit_to_canvas(picture, framing(shot, tl), tl.width, tl.height, _room(shot, tl))
    picture = picture.filter("tpad", stop=-1, stop_mode="clone")
    return _finish(picture, shot, tl), source.audio if shot.has_sound else None


def framing(shot: Shot, tl: Timeline) -> Framing:
    """``cover`` crops only where it is safe: when it would cut more than ``SAFE_CROP`` of
    the picture (a portrait photo on a landscape canvas), the whole picture is shown over a
    blurred, dimmed fill of itself instead, so no head or product is cut off."""
    media = shot.media
    if shot.fit != "cover" or media is None or not media.width or not media.height:
        return shot.fit
    picture, canvas = media.width / media.height, tl.width / tl.height
    cut = 1 - min(picture / canvas, canvas / picture)
    return "blur" if cut > SAFE_CROP else "cover"


Room = tuple[int, int, float]  # px kept free at the top and the bottom; the zoom to allow


def _room(shot: Shot, tl: Timeline) -> Room:
    """The room a picture shown whole over the blurred fill leaves for captions (a picture
    that fills the frame keeps filling it, as footage under subtitles does)."""
    if shot.room == (0, 0) or framing(shot, tl) != "blur":
        return (0, 0, 1.0)
    return (*shot.room, 1 + ZOOM_AMOUNT if shot.zoom else 1.0)


def _middle(height: int, room: Room) -> float:
    """Where the middle of the picture is: the middle of the room left by the captions."""
    top, bottom, _ = room
    return top + (height - top - bottom) / 2


def _blur_fill(
    stream: FilterableStream, width: int, height: int, room: Room = (0, 0, 1.0)
) -> FilterableStream:
    """The picture whole (contained) over a blurred, dimmed cover of itself; with ``room``,
    contained in the height the captions leave (shrunk by the zoom still to come) and
    centred there.

    Both layers leave their ``scale`` already in the output's colours (one conversion per
    pixel, no full-frame pass after the overlay); the fill is blurred at an eighth of the
    size and enlarged bilinearly (it is a blur: a sharper scaler would add cost, not detail).
    """
    split = stream.split()
    back, front = split[0], split[1]
    small_w, small_h = max(8, width // 8 // 2 * 2), max(8, height // 8 // 2 * 2)
    radius = max(1, min(6, min(small_w, small_h) // 4 - 1))  # within boxblur's chroma limit
    fill = (
        _crop_to_shape(back, small_w, small_h)
        .filter("scale", w=small_w, h=small_h, **_OUTPUT_COLOURS)
        .filter("format", pix_fmts="yuv420p")
        .filter("boxblur", luma_radius=radius, luma_power=2, chroma_radius=max(1, radius // 2))
        .filter("eq", brightness=-0.18, saturation=0.8)
        .filter("scale", w=width, h=height, flags="fast_bilinear")
    )
    top, bottom, zoom = room
    whole = front.filter(
        "scale",
        w=width,
        h=max(2, int((height - top - bottom) / zoom)),
        force_original_aspect_ratio="decrease",
        force_divisible_by=2,
        **_OUTPUT_COLOURS,
    ).filter("format", pix_fmts="yuv420p")
    y = f"{_middle(height, room):.1f}-h/2"
    return fill.overlay(whole, x="(W-w)/2", y=y, format="yuv420")


_OUTPUT_COLOURS = {"out_range": "tv", "out_color_matrix": "bt709"}


def _crop_to_shape(stream: FilterableStream, width: int, height: int) -> FilterableStream:
    """The largest centred part of the picture with the shape of ``width x height``."""
    return stream.filter(
        "crop",
        w=f"trunc(min(iw,ih*{width}/{height})/2)*2",
        h=f"trunc(min(ih,iw*{height}/{width})/2)*2",
    )


def fit_to_canvas(
    stream: FilterableStream, fit: Framing, width: int, height: int, room: Room = (0, 0, 1.0)
) -> FilterableStream:
    """Cover the canvas (crop the overflow first, then scale) or fit inside it (black bars).

    The result is limited-range BT.709 yuv420p with square pixels whatever the source (JPEG
    stills are full-range BT.601), so every shot joins the others without further conversion.
    Each pixel is converted once, in the ``scale`` that sizes it.
    """
    if fit == "blur":
        framed = _blur_fill(stream, width, height, room)
    elif fit == "contain":
        scaled = stream.filter(
            "scale",
            w=width,
            h=height,
            force_original_aspect_ratio="decrease",
            force_divisible_by=2,
            **_OUTPUT_COLOURS,
        )
        framed = scaled.filter(
            "pad", w=width, h=height, x="(ow-iw)/2", y="(oh-ih)/2", color="black"
        )
    else:
        framed = _crop_to_shape(stream, width, height).filter(
            "scale", w=width, h=height, **_OUTPUT_COLOURS
        )
    return framed.filter("setsar", sar="1").filter("format", pix_fmts="yuv420p")


LOGO_BOX = (0.6, 0.3)  # a logo fits within this share of the canvas's width and height
DARK_INK = 140  # a logo whose visible pixels are darker than this luma goes on a light card
_LIGHT_CARD, _DARK_CARD = ("0xF6F4F0", "0xE0DBD2"), ("0x232A3A", "0x0B0E15")


def logo_card(
    frame: FilterableStream, ink: float, inputs: InputSet, tl: Timeline
) -> FilterableStream:
    """A logo whole, centred at a sensible size (never stretched to the canvas, never cut),
    with its transparency, on a soft vertical gradient: light for a dark logo, dark for a
    light one."""
    top, bottom = _LIGHT_CARD if ink < DARK_INK else _DARK_CARD
    gradient = (
        f"gradients=s={tl.width}x{tl.height}:c0={top}:c1={bottom}:x0=0:y0=0:x1=0"
        f":y1={tl.height}:n=2:speed=0:r={tl.fps}:d={1 / tl.fps:.6f}"
    )
    card = (
        inputs.lavfi(gradient)
        .video.filter("trim", end_frame=1)
        .filter("scale", w=tl.width, h=tl.height, **_OUTPUT_COLOURS)
        .filter("format", pix_fmts="yuv420p")
    )
    box_w, box_h = (
        max(2, round(side * share))
        for side, share in zip((tl.width, tl.height), LOGO_BOX, strict=True)
    )
    logo = frame.filter(
        "scale",
        w=box_w,
        h=box_h,
        force_original_aspect_ratio="decrease",
        force_divisible_by=2,
        **_OUTPUT_COLOURS,
    ).filter("format", pix_fmts="yuva420p")
    framed = card.overlay(logo, x="(W-w)/2", y="(H-h)/2", format="yuv420")
    return framed.filter("setsar", sar="1").filter("format", pix_fmts="yuv420p")


def _finish(stream: FilterableStream, shot: Shot, tl: Timeline) -> FilterableStream:
    """Exactly ``shot.length`` frames, time base ``1/fps``, timestamps from zero."""
    trimmed = stream.filter("trim", end_frame=shot.length).filter("setpts", expr="PTS-STARTPTS")
    return trimmed.filter("fps", fps=tl.fps)
