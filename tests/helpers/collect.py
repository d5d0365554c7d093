"""Which test modules ``-m`` rules out before they are imported.

Each tier of ``./dev test`` runs pytest with a marker expression (``-m "not live and not
slow"``, ...), and every xdist worker collects the whole suite before the expression drops
what it does not select. Importing a module costs its imports, its module-level apps and,
for the Schemathesis modules, building every operation's cases: seconds per worker per tier.
A module none of whose tests could match the expression is skipped at collection instead.

What a module's tests can carry is read from its source: its module-level ``pytestmark``
(every test has those) and every other ``pytest.mark.<name>`` written in it (a decorator, a
``pytest.param(..., marks=...)``: a test may have those). A module that names ``mark`` any
other way (``from pytest import mark``, ``pytest.mark`` kept in a variable, a ``pytestmark``
that is not plain ``pytest.mark.<name>`` items) may carry anything; so does any module
when the expression goes beyond names, ``and``, ``or``, ``not`` and parentheses: it is
collected. No hook adds markers, and no helper module holds one for a test module to use
(``tests/test_collection.py`` holds both).
"""

from __future__ import annotations

import ast
import itertools
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
