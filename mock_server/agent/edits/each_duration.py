"""Time each item: "make each photo 3 seconds", "每张照片2秒"."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edit_timing import edit_each_duration
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, words
from nemo_mock.mock_server.agent.parsing import find_durations

EACH = words(
    r"\b(?:each|every|per|all(?:\s+the)?)\s+(?:[\w-]+\s+)?(?:photos?|images?|pictures?|pics?"
    r"|clips?|segments?|slides?|shots?|scenes?|items?|ones?)\b"
    r"|\b(?:photos?|images?|pictures?|clips?|segments?|slides?|shots?|scenes?)\s+(?:[\w-]+\s+){0,4}?each\b"
    r"|每(?:一)?(?:张|个|段|幅|页)"
)


def detect(clause: Clause) -> bool:
    return (
        "transition" not in clause.found and clause.has(EACH) and bool(find_durations(clause.text))
    )


KIND = EditKind(
    name="each_duration",
    detect=detect,
    apply=edit_each_duration,
    needs_content=True,
    intent="duration",
    examples=(
        "make each photo 3 seconds",
        "每张照片2秒",
    ),
    changes="every item of the main video lasts as asked; text and music follow",
)
