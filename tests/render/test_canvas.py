"""canvas_for: the draft's size, else the session's, capped to 1920x1080 / 1080x1920, even."""

from __future__ import annotations

import pytest

from nemo_mock.mock_server.domain.drafts import parse_draft
from nemo_mock.mock_server.domain.errors import InvalidDraft
from nemo_mock.mock_server.render import canvas_for

SEGMENT = {"tt": 0, "sg": [{"s": 0, "d": 1000, "src": "red"}]}


def _draft(meta: dict[str, int] | None = None):
    return parse_draft({"t": [SEGMENT], "m": meta or {}})


def test_the_drafts_own_size_wins_over_the_session_canvas():
    assert canvas_for(_draft({"width": 1280, "height": 720}), (1080, 1920)) == (1280, 720)


def test_the_session_canvas_is_used_when_the_draft_has_no_size():
    assert canvas_for(_draft(), (1080, 1920)) == (1080, 1920)
    assert canvas_for(_draft({"width": 640}), (720, 1280)) == (720, 1280)


def test_default_is_1080p_landscape():
    assert canvas_for(_draft()) == (1920, 1080)


def test_the_draft_model_refuses_a_4k_canvas():
    with pytest.raises(InvalidDraft):
        _draft({"width": 3840, "height": 2160})


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        ((3840, 2160), (1920, 1080)),
        ((2160, 3840), (1080, 1920)),
        ((4000, 1000), (1920, 480)),
        ((1000, 4000), (480, 1920)),
        ((2000, 2000), (1080, 1080)),
        ((2560, 1440), (1920, 1080)),
    ],
)
def test_a_larger_session_canvas_is_scaled_down_keeping_its_aspect(session, expected):
    assert canvas_for(_draft(), session) == expected


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"width": 321, "height": 181}, (320, 180)),
        ({"width": 1079, "height": 1919}, (1078, 1918)),
        ({"width": 17, "height": 17}, (16, 16)),
    ],
)
def test_odd_sizes_become_even(meta, expected):
    assert canvas_for(_draft(meta)) == expected
