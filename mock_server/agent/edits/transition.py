"""Add or remove transitions: "add 1 second dissolve transitions", "去掉转场"."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edit_layout import edit_transitions
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind
from nemo_mock.mock_server.agent.edits.vocabulary import TRANSITION


def detect(clause: Clause) -> bool:
    return clause.has(TRANSITION)


KIND = EditKind(
    name="transition",
    detect=detect,
    apply=edit_transitions,
    needs_content=True,
    on_removal=True,
    intent="transition",
    examples=(
        "add transitions",
        "add 1 second dissolve transitions",
        "去掉转场",
    ),
    changes="`tr` on video segments",
)
