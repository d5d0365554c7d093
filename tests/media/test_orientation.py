"""Probing reports width and height as displayed, and the rotation that gets there."""

from __future__ import annotations

from pathlib import Path

import pytest

from nemo_mock.mock_server.media.probe import probe
from nemo_mock.mock_server.media.samples import (
    make_clip,
    make_photo,
    with_display_rotation,
    with_exif_orientation,
)

pytestmark = pytest.mark.ffmpeg


def test_a_phone_photo_with_exif_orientation_6_is_reported_upright(tmp_path: Path):
    photo = make_photo(tmp_path / "phone.jpg", width=400, height=300, color="navy")
    with_exif_orientation(photo, 6)
    found = probe(photo)
    assert (found.width, found.height, found.rotation) == (300, 400, 90)


@pytest.mark.parametrize(
    ("orientation", "rotation", "size"),
    [(1, 0, (400, 300)), (3, 180, (400, 300)), (8, 270, (300, 400))],
)
def test_other_exif_orientations(tmp_path: Path, orientation: int, rotation: int, size: tuple):
    photo = make_photo(tmp_path / "p.jpg", width=400, height=300, color="navy")
    found = probe(with_exif_orientation(photo, orientation))
    assert ((found.width, found.height), found.rotation) == (size, rotation)


def test_a_plain_photo_has_no_rotation(tmp_path: Path):
    found = probe(make_photo(tmp_path / "p.png", width=400, height=300, color="navy"))
    assert (found.width, found.height, found.rotation) == (400, 300, 0)


def test_a_clip_recorded_upright_on_a_phone_is_reported_portrait(tmp_path: Path):
    raw = make_clip(tmp_path / "raw.mp4", seconds=0.5, width=320, height=240, with_audio=False)
    turned = with_display_rotation(raw, tmp_path / "turned.mp4", 90)
    found = probe(turned)
    assert (found.width, found.height, found.rotation) == (240, 320, 270)
    assert found.duration == pytest.approx(0.5, abs=0.1)


def test_exif_orientation_needs_a_jpeg(tmp_path: Path):
    png = make_photo(tmp_path / "p.png", width=40, height=30, color="navy")
    with pytest.raises(ValueError, match="not a JPEG"):
        with_exif_orientation(png, 6)
