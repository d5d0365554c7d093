"""Change the canvas: "make it portrait", "switch to vertical 9:16", "make it 720p", "改成竖屏"."""

from __future__ import annotations

from nemo_mock.mock_server.agent.edit_layout import edit_canvas
from nemo_mock.mock_server.agent.edits.kind import Clause, EditKind
from nemo_mock.mock_server.agent.parsing import find_aspect


def detect(clause: Clause) -> bool:
    return find_aspect(clause.text) is not None


KIND = EditKind(
    name="canvas",
    detect=detect,
    apply=edit_canvas,
    needs_content=False,
    intent="canvas",
    examples=(
        "make it portrait",
        "switch to vertical 9:16",
        "make it square",
        "make it 720p",
        "改成竖屏",
    ),
    changes="`canvas_config` and `m` (capped at 1920×1080 / 1080×1920); the reply gives the tip "
    "that portrait suits phones and that changing the ratio means regenerating",
)
