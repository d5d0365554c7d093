"""Reorder the main video's items: "move the last photo to the start", "swap the first two"."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edit_arrange import edit_reorder
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, words
from nemo_mock.mock_server.agent.edits.vocabulary import TEXT_WORDS
from nemo_mock.mock_server.agent.references import find_first_n, find_kind_mention, find_refs

_REORDER = words(
    r"\b(?:move|swap|switch|exchange|reverse|reorder|rearrange|put)\b"
    r"|移到|挪到|放到|调到|交换|调换|互换|对调|倒序|反转|颠倒|倒过来|反过来"
)
_REVERSE = words(r"\breverse\b|倒序|反转|颠倒|倒过来|反过来")
_PLACE_WORDS = words(r"\b(?:start|beginning|front|first|end|last)\b|开头|最前|结尾|最后")


def _points_at_items(clause: Clause) -> bool:
    moved_kind = find_kind_mention(clause.text) is not None and clause.has(_PLACE_WORDS)
    return bool(find_refs(clause.text) or find_first_n(clause.text) or moved_kind)


def detect(clause: Clause) -> bool:
    return (
        clause.has(_REORDER)
        and not clause.has(TEXT_WORDS)
        and (_points_at_items(clause) or clause.has(_REVERSE))
    )


KIND = EditKind(
    name="reorder",
    detect=detect,
    apply=edit_reorder,
    needs_content=True,
    alone=True,
    intent="reorder",
    examples=(
        "move the last photo to the start",
        "swap the first two",
        "reverse the order",
        "把第一张照片移到最后",
    ),
    changes="the order of the main video's items",
)
