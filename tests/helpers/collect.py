"""Which test modules ``-m`` rules out before they are imported.

Each tier of ``./dev test`` runs pytest with a marker expression (``-m "not live and not
slow"``, ...), and every xdist worker collects the whole suite before the expression drops
what it does not select. Importing a module costs its imports, its module-level apps and,
for the Schemathesis modules, building every operation's cases: seconds per worker per tier.
A module whose own ``pytestmark`` already makes the expression false, whatever markers its
tests add, is skipped at collection instead.

Only a module-level ``pytestmark`` made of plain ``pytest.mark.<name>`` (or calls of them)
is read; anything else, and any expression beyond names, ``and``, ``or``, ``not`` and
parentheses, means "collect it".
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

_TOKEN = re.compile(r"\s*(\(|\)|[A-Za-z_][A-Za-z0-9_]*)")
_OPERATORS = {"and", "or", "not"}
#: More names than this and the expression is not worth enumerating: collect.
_MAX_FREE_NAMES = 8


def module_marks(path: Path) -> frozenset[str] | None:
    """The marker names of the module's ``pytestmark``; ``None`` when there is none or it is
    not plain ``pytest.mark.<name>`` items."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        ):
            value = node.value
            items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
            names = [_mark_name(item) for item in items]
            if any(name is None for name in names):
                return None
            return frozenset(name for name in names if name is not None)
    return None


def _mark_name(node: ast.expr) -> str | None:
    """``pytest.mark.slow`` or ``pytest.mark.skipif(...)`` → its name."""
    if isinstance(node, ast.Call):
        node = node.func
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "mark"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "pytest"
    ):
        return node.attr
    return None


def could_select(expression: str, marks: frozenset[str]) -> bool:
    """Whether a test carrying ``marks`` (and perhaps more, added by the test or a hook)
    could be selected by ``expression``. ``True`` whenever the expression is not understood."""
    tokens = _tokens(expression)
    if tokens is None:
        return True
    free = sorted({t for t in tokens if t.isidentifier() and t not in _OPERATORS} - marks)
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
