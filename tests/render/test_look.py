"""Picture looks, speed and text style, rendered and measured in pixels and sound.

``br``/``ct``/``sat``/``flt`` and ``fi``/``fo`` on video segments, ``sp`` on a clip, and
``fn``/``b``/``sh``/``al``/``c``/``fs`` on text segments (docs/draft-conventions.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nemo_mock.mock_server.media.ffmpeg import run_ffmpeg
from nemo_mock.mock_server.media.samples import make_photo
from nemo_mock.mock_server.render import ResolvedMedia, Resolver, plan_render, run_render

from .helpers import BLACK, BLUE, RED, Picture, close_to, draft, frames_at
from .test_render import audio_level

pytestmark = pytest.mark.ffmpeg

SMALL = {"width": 320, "height": 180}
WHOLE = (0.0, 0.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def extra(media_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, ResolvedMedia]:
    folder = tmp_path_factory.mktemp("look-media")
    grey = make_photo(folder / "grey.png", width=640, height=360, color="#808080")
    dark = make_photo(folder / "dark.png", width=640, height=360, color="#303030")
    two = folder / "red_then_blue.mp4"
    run_ffmpeg([
        "-f", "lavfi", "-i", "color=c=red:s=320x180:r=25:d=1",
        "-f", "lavfi", "-i", "color=c=blue:s=320x180:r=25:d=1",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
        "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-map", "2:a",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", str(two),
    ])  # fmt: skip
    return {
        "grey": ResolvedMedia(grey, "image", None, 640, 360, False),
        "dark": ResolvedMedia(dark, "image", None, 640, 360, False),
        "red_then_blue": ResolvedMedia(two, "video", 2.0, 320, 180, True),
    }


@pytest.fixture(scope="module")
def render_with(resolve: Resolver, extra: dict[str, ResolvedMedia]) -> Callable[..., Path]:
    def both(src: str) -> ResolvedMedia:
        return extra[src] if src in extra else resolve(src)

    def run(tracks: list[dict[str, object]], output: Path) -> Path:
        plan = plan_render(draft(tracks, m=SMALL), both, output, quality="low")
        run_render(plan, timeout=60)
        return output

    return run


def _luma(rgb: tuple[float, ...]) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def _count(picture: Picture, box: tuple[float, float, float, float], test) -> int:
    return sum(1 for p in picture._pixels(box) if test(p))


def _shots(*segments: dict[str, object]) -> list[dict[str, object]]:
    """Video segments of 400 ms each, back to back."""
    return [{"s": 400 * i, "d": 400, **seg} for i, seg in enumerate(segments)]


def test_colour_adjustments_and_filters_change_the_picture(render_with, tmp_path):
    sg = _shots(
        {"src": "red"}, {"src": "red", "br": 60}, {"src": "red", "sat": -100},
        {"src": "red", "flt": "bw"}, {"src": "grey", "flt": "warm"},
        {"src": "grey", "flt": "cool"}, {"src": "grey"}, {"src": "grey", "ct": -80},
    )  # fmt: skip
    out = render_with([{"tt": 0, "sg": sg}], tmp_path / "look.mp4")
    times = [0.2 + 0.4 * i for i in range(8)]
    f = frames_at(out, times)
    plain, bright, grey_red, bw_red, warm, cool, grey, flat = (f[t] for t in times)
    assert close_to(plain.patch(), RED)
    assert _luma(bright.patch()) > _luma(plain.patch()) + 40
    for picture in (grey_red, bw_red):
        r, g, b = picture.patch()
        assert max(r, g, b) - min(r, g, b) < 16, (r, g, b)
    wr, _, wb = warm.patch()
    cr, _, cb = cool.patch()
    gr, _, gb = grey.patch()
    assert abs(gr - gb) < 10
    assert wr - wb > 20 and cb - cr > 20
    box, body = (0.2, 0.2, 0.3, 0.3), (0.45, 0.45, 0.55, 0.55)  # the photo's white box, its body
    spread = _luma(grey.mean(box)) - _luma(grey.mean(body))
    assert _luma(flat.mean(box)) - _luma(flat.mean(body)) < spread * 0.5


def test_a_video_segment_fades_in_from_and_out_to_black(render_with, tmp_path):
    sg = [{"s": 0, "d": 1200, "src": "red", "fi": 400, "fo": 400}]
    out = render_with([{"tt": 0, "sg": sg}], tmp_path / "fades.mp4")
    f = frames_at(out, [0.0, 0.2, 0.6, 1.17])
    assert close_to(f[0.0].patch(), BLACK, 30)
    assert 40 < f[0.2].patch()[0] < 200  # half way up
    assert close_to(f[0.6].patch(), RED)
    assert close_to(f[1.17].patch(), BLACK, 40)


def test_speed_plays_more_of_the_clip_in_the_same_time_with_its_sound(render_with, tmp_path):
    tracks = [{"tt": 0, "sg": [
        {"s": 0, "d": 1000, "src": "red_then_blue", "sp": 2},
        {"s": 1000, "d": 1000, "src": "red_then_blue"},
    ]}]  # fmt: skip
    out = render_with(tracks, tmp_path / "speed.mp4")
    f = frames_at(out, [0.25, 0.75, 1.25, 1.75])
    assert close_to(f[0.25].patch(), RED)
    assert close_to(f[0.75].patch(), BLUE)  # 1.5 s into the source at twice the speed
    assert close_to(f[1.75].patch(), RED)  # the same clip at normal speed: still red
    assert audio_level(out, 0.1, 0.9) > 0.05


TEXT_BAND = (0.0, 0.38, 1.0, 0.75)  # below the photo's white box


def _bright(p: tuple[int, int, int]) -> bool:
    return min(p) > 200


def test_text_style_bold_size_colour_shadow_font_and_alignment(render_with, tmp_path):
    base = {"tx": "Hi there", "fs": 36, "pos": "center", "c": "#FFFFFF", "sh": False}
    styles = [
        {}, {"b": True}, {"fs": 54}, {"c": "#FFD700"}, {"sh": True}, {"fn": "serif"},
        {"al": "left"}, {"al": "right"},
    ]  # fmt: skip
    text = [{"s": 400 * i, "d": 400, **base, **style} for i, style in enumerate(styles)]
    tracks = [
        {"tt": 0, "sg": [{"s": 0, "d": 400 * len(styles), "src": "dark"}]},
        {"tt": 7, "sg": text},
    ]
    out = render_with(tracks, tmp_path / "style.mp4")
    times = [0.2 + 0.4 * i for i in range(len(styles))]
    f = frames_at(out, times)
    plain, bold, big, gold, shadow, serif, left, right = (f[t] for t in times)
    lit = _count(plain, TEXT_BAND, _bright)
    assert lit > 200
    assert _count(bold, TEXT_BAND, _bright) > lit * 1.3
    assert _count(big, TEXT_BAND, _bright) > lit * 1.6
    assert _count(gold, TEXT_BAND, lambda p: p[0] > 200 and 170 < p[1] < 240 and p[2] < 80) > 100
    assert _count(gold, TEXT_BAND, _bright) < lit * 0.2
    black = _count(plain, TEXT_BAND, lambda p: max(p) < 20)
    assert _count(shadow, TEXT_BAND, lambda p: max(p) < 20) > black + 100
    assert serif.difference(plain, TEXT_BAND) > 3
    halves = ((0.0, 0.38, 0.5, 0.75), (0.5, 0.38, 1.0, 0.75))
    assert _count(left, halves[1], _bright) < 20 < _count(left, halves[0], _bright)
    assert _count(right, halves[0], _bright) < 20 < _count(right, halves[1], _bright)


def test_a_sticker_symbol_is_drawn_in_its_colour_in_its_corner(render_with, tmp_path):
    sticker = {"s": 0, "d": 600, "tx": "♥", "n": "Sticker", "fs": 60, "c": "#FF3060",
               "pos": "top", "al": "right"}  # fmt: skip
    tracks = [
        {"tt": 0, "sg": [{"s": 0, "d": 600, "src": "dark"}]},
        {"tt": 7, "n": "Stickers", "sg": [sticker]},
    ]
    out = render_with(tracks, tmp_path / "sticker.mp4")
    frame = frames_at(out, [0.3])[0.3]

    def pink(p: tuple[int, int, int]) -> bool:
        return p[0] > 200 and p[1] < 120 and 40 < p[2] < 150

    assert _count(frame, (0.6, 0.0, 1.0, 0.5), pink) > 150
    assert _count(frame, (0.0, 0.0, 0.6, 1.0), pink) == 0
