"""The timeline layout the session page draws (pure)."""

from nemo_mock.mock_server.ui.timeline import lay_out

DRAFT = {
    "d": 10_000,
    "m": {"width": 1080, "height": 1920},
    "t": [
        {"tt": 0, "sg": [{"s": 0, "d": 4000, "src": "f_1"}, {"s": 4000, "d": 6000, "src": "f_2"}]},
        {"tt": 1, "n": "BGM", "sg": [{"s": 0, "d": 10_000, "src": "bgm_lofi", "v": 35}]},
        {"tt": 7, "sg": [{"s": 2500, "d": 2000, "tx": "Golden Hour", "pos": "top"}]},
    ],
}


def resolve(src):
    return ("image", f"/cdn/{src}") if src.startswith("f_") else ("audio", None)


def test_segments_are_placed_in_percent_of_the_duration():
    layout = lay_out(DRAFT, resolve)
    assert [row.kind for row in layout.rows] == ["video", "audio", "text"]
    first, second = layout.rows[0].boxes
    assert (first.left, first.width, second.left, second.width) == (0, 40, 40, 60)
    title = layout.rows[2].boxes[0]
    assert (title.left, title.width, title.label) == (25, 20, "Golden Hour")
    assert "pos=top" in title.detail
    assert layout.rows[1].name == "BGM" and "v=35" in layout.rows[1].boxes[0].detail
    assert layout.canvas == "1080×1920" and layout.duration_s == 10


def test_the_ruler_has_a_dozen_ticks_at_most_at_round_seconds():
    ticks = lay_out(DRAFT, resolve).ticks
    assert [label for _, label in ticks] == [f"{s}s" for s in range(11)]
    long = lay_out({**DRAFT, "d": 95_000}, resolve).ticks
    assert len(long) <= 13 and long[1][1] == "10s"


def test_an_empty_draft_has_no_rows():
    assert lay_out({"d": 0, "t": []}, resolve).rows == ()
