"""Which test modules ``-m`` rules out before they are imported.

A run given a marker expression (``./dev test`` gives ``-m "not nightly"``; one tier run
alone, ``-m live`` or ``-m "not live and not slow"``) still has every xdist worker collect
the whole suite before the expression drops what it does not select. Importing a module
costs its imports, its module-level apps and, for the Schemathesis modules, building every
operation's cases: seconds per worker. A module none of whose tests could match the
expression is skipped at collection instead.

What a module's tests can carry is read from its source: its module-level ``pytestmark``
(every test has those) and every other ``pytest.mark.<name>`` written in it (a decorator, a
``pytest.param(..., marks=...)``: a test may have those). A module that names ``mark`` any
other way (``from pytest import mark``, ``pytest.mark`` kept in a variable, a ``pytestmark``
that is not plain ``pytest.mark.<name>`` items) may carry anything; so does any module
when the expression goes beyond names, ``and``, ``or``, ``not`` and parentheses: it is
collected. No hook adds markers, and no helper module holds one for a test module to use
(``tests/test_collection.py`` holds both).

A folder none of whose modules could be selected is skipped whole, its ``conftest.py`` not
imported either (the MCP tests' conftest imports the MCP SDK: half a second a worker).

Reading a module's marks means parsing it: about half a second for the suite, in every
worker. What a module's source says is kept by the hash of its bytes in
``tests/__pycache__/module-marks.json`` (``save_cache``, once a worker has collected), so
that only a module changed since the last collection is parsed again; the file is thrown
away whole when this module's own source changes (the reading may have).
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z_][A-Za-z0-9_]*)")
_OPERATORS = {"and", "or", "not"}
#: More names than this and the expression is not worth enumerating: collect.
_MAX_FREE_NAMES = 8


@dataclass(frozen=True)
class ModuleMarks:
    """The markers every test of a module has (``always``) and those any of them might also
    have (``possible``: every ``pytest.mark.<name>`` written in the module)."""

    always: frozenset[str]
    possible: frozenset[str]


#: Where what modules' sources say is kept between processes (``__pycache__`` is not committed).
CACHE = Path(__file__).parents[1] / "__pycache__" / "module-marks.json"
_UNSAID = "?"  # a module whose source cannot tell, in the cache

_known: dict[str, list[list[str]] | str] | None = None  # the cache: source hash -> marks
_changed = False


def could_select_module(expression: str, path: Path) -> bool:
    """Whether ``-m expression`` could select a test of the module at ``path``."""
    marks = cached_module_marks(path)
    return marks is None or could_select(expression, marks.always, marks.possible)


def could_select_under(expression: str, folder: Path) -> bool:
    """Whether it could select a test of any module (``test_*.py``) under ``folder``, at any
    depth; ``True`` for a folder that holds none (nothing of this rule's to skip)."""
    modules = sorted(folder.rglob("test_*.py"))
    return not modules or any(could_select_module(expression, path) for path in modules)


def cached_module_marks(path: Path) -> ModuleMarks | None:
    """``module_marks(path)``, parsed only when the cache does not know the module's bytes."""
    global _known, _changed
    if _known is None:
        _known = _load_cache()
    try:
        key = _digest(path.read_bytes())
    except OSError:
        return None
    found = _known.get(key)
    if not _well_formed(found):
        marks = module_marks(path)
        found = _UNSAID if marks is None else [sorted(marks.always), sorted(marks.possible)]
        _known[key], _changed = found, True
    if not isinstance(found, list):
        return None
    always, possible = found
    return ModuleMarks(frozenset(always), frozenset(possible))


def save_cache() -> None:
    """Keep what this process learnt for the next (written whole, then renamed: workers that
    save at once leave one complete file)."""
    if not _changed or _known is None:
        return
    try:
        CACHE.parent.mkdir(exist_ok=True)
        part = CACHE.with_name(f"{CACHE.name}.{os.getpid()}")
        document = {"reader": _READER, "modules": _known}
        part.write_text(json.dumps(document, sort_keys=True), encoding="utf-8")
        os.replace(part, CACHE)
    except OSError:
        pass  # a read-only checkout only parses again next time


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


#: This module's own source: a cache written by another reading is not believed.
_READER = _digest(Path(__file__).read_bytes())


def _well_formed(entry: object) -> bool:
    if entry == _UNSAID:
        return True
    return (
        isinstance(entry, list)
        and len(entry) == 2
        and all(
            isinstance(names, list) and all(isinstance(n, str) for n in names) for names in entry
        )
    )


def _load_cache() -> dict[str, list[list[str]] | str]:
    try:
        loaded = json.loads(CACHE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict) or loaded.get("reader") != _READER:
        return {}
    modules = loaded.get("modules")
    return modules if isinstance(modules, dict) else {}


def module_marks(path: Path) -> ModuleMarks | None:
    """What the module's source says of its tests' markers; ``None`` when it cannot tell."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return None
    always: frozenset[str] = frozenset()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        ):
            value = node.value
            items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
            names = [_mark_name(item) for item in items]
            if any(name is None for name in names):
                return None
            always = frozenset(name for name in names if name is not None)
    possible = _written_marks(tree)
    return None if possible is None else ModuleMarks(always, possible | always)


def _written_marks(tree: ast.Module) -> frozenset[str] | None:
    """Every ``pytest.mark.<name>`` in the module; ``None`` if ``mark`` appears otherwise."""
    found: set[str] = set()
    plain: set[int] = set()  # the ``pytest.mark`` nodes of a ``pytest.mark.<name>``
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_pytest_mark(node.value):
            found.add(node.attr)
            plain.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "mark" and id(node) not in plain:
            return None
        if isinstance(node, ast.Name) and node.id == "mark":
            return None
        if isinstance(node, ast.alias) and node.name == "mark":
            return None
    return frozenset(found)


def _is_pytest_mark(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "mark"
        and isinstance(node.value, ast.Name)
        and node.value.id == "pytest"
    )


def _mark_name(node: ast.expr) -> str | None:
    """``pytest.mark.slow`` or ``pytest.mark.skipif(...)`` → its name."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute) and _is_pytest_mark(node.value):
        return node.attr
    return None


def could_select(
    expression: str, marks: frozenset[str], possible: frozenset[str] | None = None
) -> bool:
    """Whether a test carrying ``marks`` (and perhaps more: any of ``possible``, or any at
    all when it is ``None``) could be selected by ``expression``. ``True`` whenever the
    expression is not understood."""
    tokens = _tokens(expression)
    if tokens is None:
        return True
    free = sorted({t for t in tokens if t.isidentifier() and t not in _OPERATORS} - marks)
    if possible is not None:
        free = [name for name in free if name in possible]
    if len(free) > _MAX_FREE_NAMES:
        return True
    for extra_count in range(len(free) + 1):
        for extra in itertools.combinations(free, extra_count):
            if _evaluate(tokens, marks | set(extra)):
                return True
    return False


def _tokens(expression: str) -> list[str] | None:
    tokens: list[str] = []
    position = 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None:
            return None if expression[position:].strip() else tokens
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _evaluate(tokens: list[str], present: frozenset[str] | set[str]) -> bool:
    """The expression with each name replaced by whether the test has that marker."""
    words = [t if t in _OPERATORS or t in "()" else str(t in present) for t in tokens]
    try:
        return bool(eval(" ".join(words), {"__builtins__": {}}, {}))
    except SyntaxError:
        return True
