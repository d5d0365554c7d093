"""``tests/helpers/collect.py``: which modules a tier's ``-m`` rules out before importing them."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.helpers import collect
from tests.helpers.collect import could_select, could_select_under, module_marks
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
    ("expression", "marks", "possible", "expected"),
    [
        # a module with no marker written anywhere: only the fast tier may select its tests
        ("live and not slow", frozenset(), frozenset(), False),
        ("slow and not nightly", frozenset(), frozenset(), False),
        ("not live and not slow", frozenset(), frozenset(), True),
        # one test decorated live: the live tier must collect the module
        ("live and not slow", frozenset(), frozenset({"live"}), True),
        ("slow and not nightly", frozenset(), frozenset({"live"}), False),
        # a live module whose one test is also slow: both tiers
        ("slow and not nightly", frozenset({"live"}), frozenset({"live", "slow"}), True),
        ("live and not slow", frozenset({"live"}), frozenset({"live", "slow"}), True),
        # unknown: anything may be added
        ("live and not slow", frozenset(), None, True),
    ],
)
def test_the_markers_written_in_a_module_bound_what_its_tests_can_have(
    expression, marks, possible, expected
):
    assert could_select(expression, marks, possible) is expected


@pytest.mark.parametrize(
    ("source", "always", "possible"),
    [
        ("import pytest\npytestmark = pytest.mark.slow\n", {"slow"}, {"slow"}),
        (
            "import pytest\n"
            "pytestmark = [pytest.mark.live, pytest.mark.skipif(True, reason='x')]\n",
            {"live", "skipif"},
            {"live", "skipif"},
        ),
        ("import pytest\n", set(), set()),
        ("import pytest\n@pytest.mark.live\ndef test_a():\n    pass\n", set(), {"live"}),
        (
            "import pytest\n"
            "@pytest.mark.parametrize('x', [pytest.param(1, marks=pytest.mark.slow)])\n"
            "def test_a(x):\n    pass\n",
            set(),
            {"parametrize", "slow"},
        ),
        ("import pytest\nMARKS = [pytest.mark.live]\npytestmark = MARKS\n", None, None),
        ("import pytest\npytestmark = [pytest.mark.live, custom()]\n", None, None),
        ("import pytest\nLIVE = pytest.mark\n@LIVE.live\ndef test_a():\n    pass\n", None, None),
        ("from pytest import mark\n@mark.live\ndef test_a():\n    pass\n", None, None),
        ("def broken(:\n", None, None),
    ],
)
def test_what_a_module_says_of_its_markers_is_read_from_its_source(
    tmp_path: Path, source, always, possible
):
    module = tmp_path / "test_module.py"
    module.write_text(source)
    marks = module_marks(module)
    if always is None:
        assert marks is None
    else:
        assert marks is not None
        assert (marks.always, marks.possible) == (frozenset(always), frozenset(possible))


def test_no_helper_holds_a_tier_marker_for_a_test_module_to_use():
    """A test module can only get a tier's marker by writing ``pytest.mark.<name>`` itself
    (what ``module_marks`` reads): no helper, conftest or plugin of the suite holds one."""
    tiers = ("live", "slow", "nightly")
    root = Path(__file__).parent
    for path in root.rglob("*.py"):
        if path.name.startswith("test_"):
            continue
        tree = ast.parse(path.read_text())
        names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        held = {
            n.attr
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute)
            and (
                (isinstance(n.value, ast.Attribute) and n.value.attr == "mark")
                or (isinstance(n.value, ast.Name) and n.value.id == "mark")
            )
        }
        assert not held & set(tiers), (path, held)
        assert not {"add_marker", "applymarker"} & names, path


def test_a_folder_is_skipped_only_when_none_of_its_modules_could_be_selected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """At any depth; a folder with no test module is not this rule's to skip."""
    monkeypatch.setattr(collect, "CACHE", tmp_path / "cache.json")
    monkeypatch.setattr(collect, "_known", None)
    slow = "import pytest\npytestmark = pytest.mark.slow\n"
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "test_one.py").write_text(slow)
    (tmp_path / "a" / "b" / "test_two.py").write_text(slow)
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / "shared.py").write_text("")
    assert not could_select_under("not live and not slow", tmp_path / "a")
    assert could_select_under("slow and not nightly", tmp_path / "a")
    assert could_select_under("not live and not slow", tmp_path / "helpers")
    # one module deeper down that the tier could select keeps the whole folder
    (tmp_path / "a" / "b" / "test_three.py").write_text("def test_x():\n    pass\n")
    assert could_select_under("not live and not slow", tmp_path / "a")


def test_what_a_source_says_is_kept_by_its_bytes_between_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The cache is read for a module whose bytes it knows, and a changed module is parsed
    again; what a process learnt is there for the next."""
    cache = tmp_path / "cache.json"
    monkeypatch.setattr(collect, "CACHE", cache)
    monkeypatch.setattr(collect, "_known", None)
    module = tmp_path / "test_module.py"
    module.write_text("import pytest\npytestmark = pytest.mark.slow\n")
    assert collect.cached_module_marks(module) == module_marks(module)
    collect.save_cache()
    saved = json.loads(cache.read_text())
    assert list(saved["modules"].values()) == [[["slow"], ["slow"]]]
    # a cache that says otherwise of these bytes is believed: the module is not parsed again
    lying = {key: [["live"], ["live"]] for key in saved["modules"]}
    cache.write_text(json.dumps({**saved, "modules": lying}))
    monkeypatch.setattr(collect, "_known", None)
    marks = collect.cached_module_marks(module)
    assert marks is not None and marks.always == {"live"}
    # ... unless another reading wrote it, or the entry is not one this reading writes
    malformed = {key: [["live"]] for key in saved["modules"]}
    for document in ({"reader": "another", "modules": lying}, {**saved, "modules": malformed}):
        cache.write_text(json.dumps(document))
        monkeypatch.setattr(collect, "_known", None)
        marks = collect.cached_module_marks(module)
        assert marks is not None and marks.always == {"slow"}
    # changed bytes are parsed anew
    module.write_text("import pytest\npytestmark = pytest.mark.nightly\n")
    marks = collect.cached_module_marks(module)
    assert marks is not None and marks.always == {"nightly"}
    # a module whose source cannot tell is kept as such
    unsaid = tmp_path / "test_unsaid.py"
    unsaid.write_text("from pytest import mark\n")
    assert collect.cached_module_marks(unsaid) is None
    collect.save_cache()
    monkeypatch.setattr(collect, "_known", None)
    assert collect.cached_module_marks(unsaid) is None


def test_the_schemathesis_modules_are_marked_slow_as_a_whole():
    """The Schemathesis modules import Schemathesis and build apps (and, where a schema is
    parametrized at import, every operation's cases) at collection: worth skipping."""
    tests = Path(__file__).parent
    for name in (
        "contracts/test_schemathesis.py",
        "contracts/test_schemathesis_stateful.py",
        "edge/test_contract_style_schemathesis.py",
    ):
        marks = module_marks(tests / name)
        assert marks is not None and "slow" in marks.always, name
        assert not could_select("not live and not slow", marks.always, marks.possible)


def test_the_modules_come_tier_by_tier_and_the_longest_first_in_each():
    """Every module ``tests/helpers/order.py`` names exists (a renamed one would silently
    lose its place), and ordering hands out the fast modules first, then the live, then the
    slow (a module with its first tier), the listed ones first in each, longest first, the
    rest as they came, each module's tests together and in their order."""
    root = Path(__file__).parents[1]
    assert all((root / path).is_file() for path in LONGEST), "a listed module is gone"

    class Item:
        def __init__(self, nodeid: str, *marks: str) -> None:
            self.nodeid = nodeid
            self.marks = [SimpleNamespace(name=name) for name in marks]

        def iter_markers(self) -> list[SimpleNamespace]:
            return self.marks

    items = [
        Item("tests/a.py::t1"),
        Item("tests/examples/test_bash_example.py::x", "slow"),
        Item("tests/b.py::t2", "live"),
        Item("tests/test_seed_try_saying.py::y", "slow", "ffmpeg"),
        Item("tests/a.py::t3"),
        Item("tests/mixed.py::late", "slow"),
        Item("tests/hardening/test_corpus.py::z"),
        Item("tests/mixed.py::early", "live"),
        Item("tests/c.py::t4", "nightly", "slow"),
    ]
    ordered = [i.nodeid for i in longest_first(items)]  # type: ignore[arg-type]
    assert ordered == [
        "tests/hardening/test_corpus.py::z",
        "tests/a.py::t1",
        "tests/a.py::t3",
        "tests/b.py::t2",
        "tests/mixed.py::late",
        "tests/mixed.py::early",
        "tests/test_seed_try_saying.py::y",
        "tests/examples/test_bash_example.py::x",
        "tests/c.py::t4",
    ]
