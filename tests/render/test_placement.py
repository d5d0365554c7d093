"""Pictures over the video and text beside them, measured in pixels: a logo placed in a
corner keeps its shape, size and see-through pixels over every shot; top and bottom captions
get room of their own, so a still shown whole (a product, a portrait) never sits under them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nemo_mock.mock_server.media.probe import probe
from nemo_mock.mock_server.render import ResolvedMedia, plan_render, run_render

from .helpers import (
    BASE,
    BODY,
    CAP,
    HEAD,
    LOGO_INK,
    Picture,
    close_to,
    draft,
    frames_at,
    logo,
    person,
    product,
    rows_of,
)

pytestmark = pytest.mark.ffmpeg
TEXT = (0, 255, 255)


def _media(tmp_path: Path) -> dict[str, ResolvedMedia]:
    mark = logo(tmp_path / "logo.png", 600, 300)
    shot = product(tmp_path / "product.png", 800, 800)
    face = person(tmp_path / "person.png", 600, 800)
    return {
        "logo": ResolvedMedia(mark, "image", None, 600, 300, False, ink=probe(mark).ink),
        "product": ResolvedMedia(shot, "image", None, 800, 800, False),
        "person": ResolvedMedia(face, "image", None, 600, 800, False),
    }


def _render(
    tmp_path: Path, tracks: list[dict[str, Any]], canvas: tuple[int, int], times: list[float]
) -> dict[float, Picture]:
    media = _media(tmp_path)
    out = tmp_path / f"out_{canvas[0]}x{canvas[1]}.mp4"
    plan = plan_render(draft(tracks), media.__getitem__, out, quality="low", canvas=canvas)
    run_render(plan, timeout=120)
    return frames_at(out, times)


def _still(src: str, ms: int = 2000, **keys: Any) -> dict[str, Any]:
    return {"tt": 0, "sg": [{"s": 0, "d": ms, "src": src, "fit": "cover", **keys}]}


def _logo_track(**keys: Any) -> dict[str, Any]:
    segment = {"s": 0, "d": 2000, "src": "logo", "pos": "top", "al": "left", "sc": 0.25}
    return {"tt": 0, "n": "Logo", "sg": [{**segment, **keys}]}


def _inked(picture: Picture) -> tuple[int, int, int, int]:
    """The bounding box (left, top, right, bottom) of the logo's ink."""
    found = [
        (x, y)
        for y in range(0, picture.height, 2)
        for x in range(0, picture.width, 2)
        if close_to(picture.pixel(x, y), LOGO_INK, 40)
    ]
    assert found, "no logo"
    xs, ys = [x for x, _ in found], [y for _, y in found]
    return min(xs), min(ys), max(xs), max(ys)


def test_a_logo_sits_whole_in_its_corner_over_the_shot(tmp_path: Path):
    tracks = [_still("product"), _logo_track()]
    frame = _render(tmp_path, tracks, (640, 360), [1.0])[1.0]
    left, top, right, bottom = _inked(frame)
    # drawn 90 px wide (a quarter of the shorter side) and 45 high (2:1 as made), 14 px (4 %)
    # from the corner; its ink (the frame) starts 3 px in and spans 93 % x 87 % of that
    assert 78 <= right - left <= 88 and 33 <= bottom - top <= 42, (left, top, right, bottom)
    assert 15 <= left <= 21 and 15 <= top <= 21, (left, top)
    # its see-through pixels show the picture below (the blurred fill), not black
    hole = frame.pixel(left + (right - left) * 13 // 100, (top + bottom) // 2)
    assert not close_to(hole, LOGO_INK, 60) and sum(hole) / 3 > 60, hole
    # the product itself, whole in the middle
    assert rows_of(frame, CAP) and abs(len(rows_of(frame, CAP)) - len(rows_of(frame, BASE))) <= 2


def test_a_logo_has_the_same_size_in_portrait_and_fades_in(tmp_path: Path):
    tracks = [_still("person"), _logo_track(al="right", fi=600)]
    frames = _render(tmp_path, tracks, (360, 640), [0.05, 1.0])
    left, top, right, bottom = _inked(frames[1.0])
    assert 78 <= right - left <= 88, (left, right)
    assert 360 - 21 <= right <= 360 - 15 and 15 <= top <= 21, (right, top)
    box = (left / 360, top / 640, right / 360, bottom / 640)
    assert frames[0.05].difference(frames[1.0], box) > 20  # faint at first: it fades in
    assert rows_of(frames[1.0], HEAD), "the face is there"


def _caption(text: str, position: str, size: int) -> dict[str, Any]:
    segment = {"s": 0, "d": 2000, "tx": text, "n": "Overlay", "pos": position, "fs": size,
               "c": "#00FFFF"}  # fmt: skip
    return {"tt": 7, "n": "Text", "sg": [segment]}


@pytest.mark.parametrize("canvas", [(640, 360), (360, 640)])
def test_a_bottom_caption_never_covers_the_products_base(tmp_path: Path, canvas):
    tracks = [_still("product", z=True), _caption("Designed for everyday life", "bottom", 22)]
    frames = _render(tmp_path, tracks, canvas, [0.1, 1.0, 1.95])
    for at, frame in frames.items():
        cap, base = rows_of(frame, CAP), rows_of(frame, BASE)
        # the cap and the base are the same height on the product: both whole
        assert cap and abs(len(cap) - len(base)) <= 2, (at, len(cap), len(base))
        letters = _text_rows(frame)
        assert letters, f"no caption at {at}s"
        # nothing of the base under the caption's box (its border is 0.3 em above the text)
        assert base[-1] < letters[0] - 0.3 * 22, (at, base[-1], letters[0])


def test_a_top_caption_never_covers_the_face(tmp_path: Path):
    tracks = [_still("person", z=True), _caption("Emma & James\nJune 14, 2026", "top", 22)]
    frames = _render(tmp_path, tracks, (640, 360), [0.1, 1.95])
    for at, frame in frames.items():
        head, body = rows_of(frame, HEAD), rows_of(frame, BODY)
        letters = _text_rows(frame)
        assert letters and head[0] > letters[-1] + 0.3 * 22, (at, head[0], letters[-1])
        # the head is a sixth of the photo's height and the body six tenths
        assert head and abs(len(head) * 3.6 - len(body)) < 12, (at, len(head), len(body))


def _text_rows(frame: Picture) -> list[int]:
    """Rows holding the caption's (cyan) letters."""
    return rows_of(frame, TEXT, xs=range(0, frame.width, 2))
