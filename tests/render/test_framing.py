"""Framing never cuts the subject: a picture whose shape differs from the canvas is shown
whole over a blurred, dimmed fill of itself; cover crops only where that is safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_server.render import ResolvedMedia, plan_render, run_render

from .helpers import BACKDROP, BODY, HEAD, close_to, draft, frames_at, person

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
