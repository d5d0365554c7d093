"""Every edit kind, in order: the order is the precedence.

A clause is offered to each kind in this order. A kind marked ``alone`` that detects the
clause takes it whole (later kinds are not asked); others add themselves and later kinds
see what was found (music yields to volume; a length yields to text, music and
transitions). In a clause with a removal verb only ``on_removal`` kinds are asked.

To add an edit: write ``edits/<name>.py`` exporting ``KIND``, put it in ``KINDS`` where its
precedence belongs, and run ``python -m nemo_mock.mock_server.agent.edits.table --write README.md``.
"""

from __future__ import annotations

from dataclasses import replace

from nemo_mock.mock_server.agent.edits import (
    canvas,
    each_duration,
    fade,
    look,
    music,
    remove,
    reorder,
    speed,
    split,
    sticker,
    style,
    subtitles,
    text,
    total_length,
    transition,
    trim,
    volume,
)
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind
from nemo_mock.mock_server.agent.edits.vocabulary import REMOVE

KINDS: tuple[EditKind, ...] = (
    remove.KIND,  # alone: "remove ..." (but not a style, fade or filter being turned off)
    reorder.KIND,  # alone: items named with a move/swap/reverse verb
    split.KIND,  # alone: before trim ("cut the clip in two")
    trim.KIND,  # alone: an item named, a trim verb and a length
    speed.KIND,  # alone
    sticker.KIND,  # alone: before text ("add a heart sticker" is no caption)
    subtitles.KIND,  # alone: "add subtitles" with no text given; before text
    canvas.KIND,
    volume.KIND,
    music.KIND,  # yields to volume, and to a fade of the music already there
    text.KIND,  # yields to style when no new text is given
    style.KIND,  # after text: "add a title 'X' in gold" adds, then styles
    fade.KIND,  # not a fade between clips (that is a transition)
    look.KIND,
    transition.KIND,
    each_duration.KIND,
    total_length.KIND,  # yields to text, music, fades, transitions and each_duration
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
