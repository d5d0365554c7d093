"""Every edit kind, in order: the order is the precedence.

A clause is offered to each kind in this order. A kind marked ``alone`` that detects the
clause takes it whole (later kinds are not asked); others add themselves and later kinds
see what was found (music yields to volume; a length yields to text, music and
transitions). In a clause with a removal verb only ``on_removal`` kinds are asked.

To add an edit: write ``edits/<name>.py`` exporting ``KIND``, put it in ``KINDS`` where its
precedence belongs, and run ``python -m mock_server.agent.edits.table --write README.md``.
"""

from __future__ import annotations

from dataclasses import replace

from mock_server.agent.edits import (
    canvas,
    each_duration,
    music,
    remove,
    reorder,
    text,
    total_length,
    transition,
    volume,
)
from mock_server.agent.edits.kind import Clause, EditKind
from mock_server.agent.edits.vocabulary import REMOVE

KINDS: tuple[EditKind, ...] = (
    remove.KIND,
    reorder.KIND,
    canvas.KIND,
    volume.KIND,
    music.KIND,
    text.KIND,
    transition.KIND,
    each_duration.KIND,
    total_length.KIND,
)
BY_NAME: dict[str, EditKind] = {kind.name: kind for kind in KINDS}


def clause_kinds(text: str) -> list[EditKind]:
    """The kinds a (lowered, quote-masked) clause asks for, in the registry's order."""
    clause = Clause(text)
    removal = clause.has(REMOVE)
    found: list[EditKind] = []
    for kind in KINDS:
        if removal and not kind.on_removal:
            continue
        if kind.detect(replace(clause, found=tuple(k.name for k in found))):
            if kind.alone:
                return [kind]
            found.append(kind)
    return found
