"""Set the video's length: "make it 30 seconds", "改成30秒"."""

from __future__ import annotations

import re

from nemo_mock.mock_server.agent.edit_timing import edit_total_length
from nemo_mock.mock_server.agent.edits.each_duration import EACH
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind, words
from nemo_mock.mock_server.agent.parsing import find_durations

_LENGTH_CUE = words(
    r"\b(?:make|set|change|cut|trim|shorten|extend|lengthen|reduce|increase|stretch|limit|keep"
    r"|long|length|duration|total|shorter|longer)\b"
    r"|时长|总长|长度|改成|改为|变成|缩短|延长|剪成|剪到|调整为|调成|控制在|设为|设置为"
)
_TAKEN = frozenset({"transition", "text", "music", "each_duration", "fade", "style"})


def detect(clause: Clause) -> bool:
    """A length with a length cue (or alone), not claimed by an earlier kind."""
    if _TAKEN & set(clause.found) or clause.has(EACH) or not find_durations(clause.text):
        return False
    short = len(re.sub(r"[\W\d_]+", " ", clause.text).split()) <= 3
    return clause.has(_LENGTH_CUE) or short


KIND = EditKind(
    name="total_length",
    detect=detect,
    apply=edit_total_length,
    needs_content=True,
    intent="duration",
    examples=(
        "make it 30 seconds",
        "shorten it to 20 s",
        "改成30秒",
    ),
    changes="items rescaled to the new length; text and music follow",
)
