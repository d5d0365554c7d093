"""Framing never cuts the subject: a picture whose shape differs from the canvas is shown
whole over a blurred, dimmed fill of itself; cover crops only where that is safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from nemo_mock.mock_server.media.probe import probe
from nemo_mock.mock_server.render import ResolvedMedia, plan_render, run_render

from .helpers import BACKDROP, BODY, HEAD, LOGO_INK, close_to, draft, frames_at, logo, person

pytestmark = pytest.mark.ffmpeg


def _render(tmp_path: Path, photo: Path, size: tuple[int, int], canvas: tuple[int, int]) -> Path:
    def resolve(src: str) -> ResolvedMedia:
        return ResolvedMedia(photo, "image", None, size[0], size[1], False)

    value = draft([{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "p", "fit": "cover"}]}])
    out = tmp_path / "out.mp4"
    run_render(plan_render(value, resolve, out, quality="low", canvas=canvas), timeout=60)
    return out


def test_a_portrait_photo_on_a_landscape_canvas_keeps_its_head(tmp_path: Path):
    photo = person(tmp_path / "portrait.png", 360, 640)
    picture = frames_at(_render(tmp_path, photo, (360, 640), (640, 360)), [0.5])[0.5]
    # the whole photo is 202 px wide in the middle: the head near the top, the body below
    assert close_to(picture.patch(0.5, 0.13, 0.01), HEAD)
    assert close_to(picture.patch(0.5, 0.6, 0.02), BODY)
    # the sides are a dimmed, blurred fill of the photo: not black, darker than the photo
    side = picture.patch(0.08, 0.5, 0.03)
    assert 25 < sum(side) / 3 < 115, side


def test_a_nearly_matching_shape_is_cropped_to_fill(tmp_path: Path):
    photo = person(tmp_path / "wide.png", 700, 360)  # 1.94 on a 1.78 canvas: 8 % cut, safe
    picture = frames_at(_render(tmp_path, photo, (700, 360), (640, 360)), [0.5])[0.5]
    assert close_to(picture.patch(0.02, 0.5, 0.01), BACKDROP)  # photo to the edges, no fill


def test_a_logo_is_drawn_whole_at_a_sensible_size_on_a_light_card(tmp_path: Path):
    image = logo(tmp_path / "logo.png", 600, 300)
    info = probe(image)
    assert info.ink is not None and info.ink < 160  # see-through, orange ink
    media = ResolvedMedia(image, "image", None, 600, 300, False, ink=info.ink)
    value = draft([{"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "logo", "fit": "cover"}]}])
    out = tmp_path / "out.mp4"
    plan = plan_render(value, lambda src: media, out, quality="low", canvas=(360, 640))
    run_render(plan, timeout=60)
    picture = frames_at(out, [0.5])[0.5]
    assert close_to(picture.patch(0.5, 0.5, 0.01), LOGO_INK, 50)  # the bar in the middle
    row = [picture.pixel(x, 320) for x in range(360)]
    inked = [x for x, rgb in enumerate(row) if close_to(rgb, LOGO_INK, 60)]
    # 60 % of the width, centred: not stretched to the canvas, nothing cut at the sides
    assert 0.5 * 360 < inked[-1] - inked[0] < 0.66 * 360, (inked[0], inked[-1])
    assert abs((inked[0] + inked[-1]) / 2 - 180) < 6
    column = [picture.pixel(180, y) for y in range(640)]
    tall = [y for y, rgb in enumerate(column) if close_to(rgb, LOGO_INK, 60)]
    # its shape kept (2:1): the logo is about half as tall as it is wide
    assert abs((tall[-1] - tall[0]) - (inked[-1] - inked[0]) / 2) < 12
    for corner in ((0.05, 0.05), (0.95, 0.95)):  # a light card, not black, not the logo
        assert min(picture.patch(*corner, 0.02)) > 180, picture.patch(*corner, 0.02)


def test_an_opaque_image_is_no_logo(tmp_path: Path):
    assert probe(person(tmp_path / "p.png", 60, 80)).ink is None
