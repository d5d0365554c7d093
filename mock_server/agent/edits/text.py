"""Add or move text: "put a title 'Golden Hour' at the beginning", "加上标题「新年快乐」"."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edit_text import edit_text
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, words
from nemo_mock.mock_server.agent.edits.style import is_style_request
from nemo_mock.mock_server.agent.edits.vocabulary import TEXT_WORDS

_WRITE_VERBS = words(r"\b(?:add|put|write|show|display|insert|say|saying)\b|加|写|显示|添加")


def detect(clause: Clause) -> bool:
    if not clause.has_quote and is_style_request(clause):  # restyling, no new text
        return False
    return clause.has(TEXT_WORDS) or (clause.has_quote and clause.has(_WRITE_VERBS))


KIND = EditKind(
    name="text",
    detect=detect,
    apply=edit_text,
    needs_content=False,
    intent="text",
    examples=(
        "put a title 'Golden Hour' at the beginning",
        "add a caption 'See you there!' at the bottom for 5 seconds",
        "加上标题「新年快乐」",
    ),
    changes="text track: quoted text literally, position, timing",
)
