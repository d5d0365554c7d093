"""The engine's vocabulary: what it sees of a session and the plan it returns for a turn.

A turn's plan is a list of steps, each a tool call whose result is a whole new draft. The
SSE layer streams the steps (tool_call, tool_result, text), charges credits by step kind
and synthesises each step's media before applying its draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from nemo_mock.mock_server.domain.drafts import Draft
from nemo_mock.mock_server.domain.media import MediaFile

GENERATION_TOOL = "generate_video_with_seedance"
EDIT_TOOL = "edit_multitrack"

StepKind = Literal["generation", "edit"]
MediaSpecKind = Literal["clip", "voiceover"]
SentenceTimer = Callable[[list[str]], list[int]]
"""Milliseconds each sentence takes to say, as the speech synthesiser will say it."""


@dataclass(frozen=True)
class SessionView:
    """What the engine sees of a session."""

    draft: Draft
    uploads: tuple[MediaFile, ...]  # state.video_infos, in upload order
    canvas: tuple[int, int]  # (width, height) of canvas_config
    language: str | None  # session language ("en", "zh-CN", ...); None = detect from message
    generated: tuple[dict[str, Any], ...]  # state.generated_media entries
    speech: SentenceTimer | None = None  # None: sentences timed at 150 words a minute


@dataclass(frozen=True)
class MediaSpec:
    """Media to synthesise before a step's draft is applied."""

    media_id: str  # "gen_<hex>" from the rng
    kind: MediaSpecKind
    prompt: str  # what the clip shows / the voiceover text
    seconds: float
    width: int
    height: int
    seed: int  # from the rng
    starts_ms: tuple[int, ...] = ()  # a voiceover's sentence starts, in speaking time

    def generated_entry(self) -> dict[str, Any]:
        """The ``state.generated_media`` entry recording this media."""
        return {
            "id": self.media_id,
            "kind": self.kind,
            "prompt": self.prompt,
            "seconds": self.seconds,
            "width": self.width,
            "height": self.height,
            "seed": self.seed,
            "src": self.media_id,
        }


@dataclass(frozen=True)
class Step:
    """One tool call of the turn and the whole draft after it."""

    kind: StepKind
    tool: str
    args: dict[str, Any]  # tool_call args: what was asked, JSON-able
    result: dict[str, Any]  # tool_result payload: what happened, JSON-able
    draft: Draft
    canvas: tuple[int, int]
    media: tuple[MediaSpec, ...] = ()
    generated: tuple[dict[str, Any], ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Plan:
    """Everything the agent does in one turn."""

    intent: str
    language: str  # "en" or "zh"
    steps: tuple[Step, ...]
    reply: str  # text for a turn with no steps; "" when the steps carry the texts

    @property
    def final_draft(self) -> Draft | None:
        return self.steps[-1].draft if self.steps else None

    @property
    def synthesised_clips(self) -> int:
        return sum(1 for step in self.steps for m in step.media if m.kind == "clip")
