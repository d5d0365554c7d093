"""``tests/helpers/collect.py``: which modules a tier's ``-m`` rules out before importing them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.collect import could_select, module_marks
from tests.helpers.order import LONGEST, longest_first

SLOW_AND_LIVE = frozenset({"slow", "live"})


@pytest.mark.parametrize(
    ("expression", "marks", "expected"),
    [
        ("not live and not slow", frozenset({"live"}), False),
        ("not live and not slow", frozenset({"slow"}), False),
        ("not live and not slow", frozenset({"ffmpeg"}), True),
        ("not live and not slow", frozenset(), True),
        ("live and not slow", frozenset({"live"}), True),
        ("live and not slow", SLOW_AND_LIVE, False),
        ("live and not slow", frozenset({"slow"}), False),
        # a test of a live module may add `slow` itself: the slow tier must still see it
        ("slow and not nightly", frozenset({"live"}), True),
        ("slow and not nightly", frozenset({"nightly"}), False),
        ("(live and not slow) or (slow and not nightly)", frozenset({"nightly"}), True),
        ("nightly", frozenset({"live"}), True),
        # not understood: collect
        ("live and fixture(x=1)", frozenset({"slow"}), True),
        ("not live and", frozenset({"live"}), True),
    ],
)
def test_a_module_is_ruled_out_only_when_no_test_of_it_could_match(expression, marks, expected):
    assert could_select(expression, marks) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import pytest\npytestmark = pytest.mark.slow\n", frozenset({"slow"})),
        (
            "import pytest\n"
            "pytestmark = [pytest.mark.live, pytest.mark.skipif(True, reason='x')]\n",
            frozenset({"live", "skipif"}),
        ),
        ("import pytest\n", None),
        ("import pytest\nMARKS = [pytest.mark.live]\npytestmark = MARKS\n", None),
        ("import pytest\npytestmark = [pytest.mark.live, custom()]\n", None),
        ("def broken(:\n", None),
    ],
)
def test_only_a_plain_module_pytestmark_is_read(tmp_path: Path, source, expected):
    module = tmp_path / "test_module.py"
    module.write_text(source)
    assert module_marks(module) == expected


def test_the_schemathesis_modules_are_marked_slow_as_a_whole():
    """The modules that build Schemathesis cases at collection are the ones worth skipping."""
    tests = Path(__file__).parent
    for name in (
        "contracts/test_schemathesis.py",
        "contracts/test_schemathesis_stateful.py",
        "edge/test_contract_style_schemathesis.py",
    ):
        marks = module_marks(tests / name)
        assert marks is not None and "slow" in marks, name
        assert not could_select("not live and not slow", marks)


def test_the_longest_modules_are_listed_by_their_paths_and_come_first():
    """Every module ``tests/helpers/order.py`` names exists (a renamed one would silently
    lose its place), and ordering puts them first, longest first, the rest as they were."""
    root = Path(__file__).parents[1]
    assert all((root / path).is_file() for path in LONGEST), "a listed module is gone"

    class Item:
        def __init__(self, nodeid: str) -> None:
            self.nodeid = nodeid

    names = ["tests/a.py::t1", "tests/examples/test_examples.py::x", "tests/b.py::t2",
             "tests/test_seed_try_saying.py::y", "tests/a.py::t3"]  # fmt: skip
    ordered = [i.nodeid for i in longest_first([Item(n) for n in names])]  # type: ignore[misc]
    assert ordered == [
        "tests/test_seed_try_saying.py::y",
        "tests/examples/test_examples.py::x",
        "tests/a.py::t1",
        "tests/b.py::t2",
        "tests/a.py::t3",
    ]
