"""Remove a track or items: "remove the music", "remove the second clip", "删除第二张照片"."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edit_arrange import edit_remove
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, words
from nemo_mock.mock_server.agent.edits.vocabulary import MUSIC_WORDS, REMOVE, TEXT_WORDS, TRANSITION
from nemo_mock.mock_server.agent.references import find_refs


def only_transitions(clause: Clause) -> bool:
    """A removal of the transitions alone (that is the transition edit's to make)."""
    return clause.has(TRANSITION) and not (
        clause.has(MUSIC_WORDS) or clause.has(TEXT_WORDS) or find_refs(clause.text)
    )


# "remove the shadow", "no filter", "remove the fade": the style, look and fade edits turn
# those off themselves
_TURNED_OFF = words(
    r"\b(?:shadows?|bold|filters?|fades?|fade[\s-]*(?:in|out))\b|阴影|加粗|滤镜|淡入|淡出"
)


def detect(clause: Clause) -> bool:
    return clause.has(REMOVE) and not only_transitions(clause) and not clause.has(_TURNED_OFF)


KIND = EditKind(
    name="remove",
    detect=detect,
    apply=edit_remove,
    needs_content=True,
    alone=True,
    on_removal=True,
    intent="remove",
    examples=(
        "remove the music",
        "remove the second clip",
        "删除第二张照片",
    ),
    changes="the track, or the items named; the rest closes up",
)
