"""What an edit works on and what it gives back: a change to the draft, or a reply."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nemo_mock.mock_server.agent.plan import SessionView
from nemo_mock.mock_server.agent.timeline import main_video, segment_kind
from nemo_mock.mock_server.agent.wording import Language
from nemo_mock.mock_server.domain.drafts import Draft, Segment

EMPTY_TIMELINE_MS = 15_000  # length given to music added to an empty timeline


@dataclass(frozen=True)
class Work:
    """The state an edit starts from (the result of the turn's previous edits)."""

    draft: Draft
    canvas: tuple[int, int]
    view: SessionView
    lang: Language

    @property
    def empty(self) -> bool:
        return not self.draft.export_ready

    def video(self) -> tuple[int, list[Segment]] | None:
        """The main video track's index and segments, or None without one."""
        index = main_video(self.draft)
        if index is None or not self.draft.tracks[index].segments:
            return None
        return index, list(self.draft.tracks[index].segments)

    def kinds(self, segments: Sequence[Segment]) -> list[str]:
        return [segment_kind(s, self.view.uploads) for s in segments]


@dataclass(frozen=True)
class Change:
    """A new draft (and canvas) with the tool call's args/result and the agent's text."""

    draft: Draft
    canvas: tuple[int, int]
    args: dict[str, Any]
    result: dict[str, Any]
    text: str


@dataclass(frozen=True)
class Reply:
    """No edit: ``text`` asks for specifics (``clarify``) or says nothing needed changing."""

    text: str
    clarify: bool = True


Outcome = Change | Reply
