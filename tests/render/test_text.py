"""Caption layout: sizes, shrinking and wrapping to fit the canvas, alpha fades."""

from __future__ import annotations

from nemo_mock.mock_server.render.text import default_size, fit_text, text_ems, wrap_line
from nemo_mock.mock_server.render.timeline import ShotRun, Timeline


def canvas(width: int, height: int) -> Timeline:
    return Timeline(width, height, 30, 1000, 30, ShotRun(0, ()), (), (), ())


def test_default_size_follows_the_shorter_side():
    assert default_size(canvas(1920, 1080)) == 81
    assert default_size(canvas(1080, 1920)) == 81
    assert default_size(canvas(320, 180)) == 14


def test_cjk_counts_one_em_and_latin_less():
    assert text_ems("新年快乐") == 4
    assert text_ems("abcd") < 4


def test_a_short_title_is_kept_as_it_is():
    assert fit_text("Golden Hour", 81, canvas(1920, 1080)) == ("Golden Hour", 81)


def test_literal_newlines_are_kept_and_crlf_normalised():
    text, _ = fit_text("one\r\ntwo\rthree\n", 20, canvas(1920, 1080))
    assert text == "one\ntwo\nthree\n"


def test_a_long_line_shrinks_then_wraps_at_spaces():
    long = "word " * 40
    text, size = fit_text(long.strip(), 80, canvas(1080, 1920))
    assert size == 40  # shrinks to half at most
    lines = text.split("\n")
    assert len(lines) > 1
    assert all(text_ems(line) * size <= 1080 * 0.9 for line in lines)
    assert " ".join(lines) == long.strip()


def test_cjk_wraps_between_characters():
    lines = wrap_line("新年快乐" * 10, 12)
    assert all(text_ems(line) <= 12 for line in lines)
    assert "".join(lines) == "新年快乐" * 10


def test_a_single_huge_word_is_broken():
    lines = wrap_line("x" * 100, 10)
    assert "".join(lines) == "x" * 100
    assert all(text_ems(line) <= 10 for line in lines)


def test_too_many_lines_shrink_to_fit_the_height():
    text, size = fit_text("\n".join(["line"] * 40), 40, canvas(320, 180))
    assert text.count("\n") == 39
    assert 40 * size * 1.25 <= 180 * 0.9 or size == 8
