"""Building steps and the media the agent synthesises for them."""

from __future__ import annotations

import hashlib
import random
from typing import Any, Literal

from nemo_mock.mock_server.agent.plan import (
    EDIT_TOOL,
    GENERATION_TOOL,
    MediaSpec,
    MediaSpecKind,
    Step,
)
from nemo_mock.mock_server.domain.drafts import MAX_LONG_SIDE, MAX_SHORT_SIDE, MIN_SIDE, Draft


def new_media(
    rng: random.Random,
    kind: MediaSpecKind,
    prompt: str,
    seconds: float,
    canvas: tuple[int, int],
) -> MediaSpec:
    """A ``gen_<hex>`` media spec; draws the id and a seed from ``rng`` (in that order). A
    clip's seed is its prompt's (the drawn one is dropped): the same prompt at the same length
    and size makes the same clip, as a cache of identical prompts needs (issue 18)."""
    media_id = f"gen_{rng.getrandbits(64):016x}"
    seed = rng.getrandbits(31)
    if kind == "clip":
        seed = prompt_seed(prompt[:2000])
    return MediaSpec(media_id, kind, prompt[:2000], round(seconds, 3), canvas[0], canvas[1], seed)


def prompt_seed(prompt: str) -> int:
    """A 31-bit seed from the prompt's text alone."""
    return int.from_bytes(hashlib.sha256(prompt.encode("utf-8", "replace")).digest()[:4]) >> 1


def generation_step(
    draft: Draft,
    canvas: tuple[int, int],
    args: dict[str, Any],
    result: dict[str, Any],
    text: str,
    media: tuple[MediaSpec, ...] = (),
) -> Step:
    return _step("generation", draft, canvas, args, result, text, media)


def edit_step(
    draft: Draft,
    canvas: tuple[int, int],
    args: dict[str, Any],
    result: dict[str, Any],
    text: str,
    media: tuple[MediaSpec, ...] = (),
) -> Step:
    return _step("edit", draft, canvas, args, result, text, media)


def _step(
    kind: Literal["generation", "edit"],
    draft: Draft,
    canvas: tuple[int, int],
    args: dict[str, Any],
    result: dict[str, Any],
    text: str,
    media: tuple[MediaSpec, ...],
) -> Step:
    tool = GENERATION_TOOL if kind == "generation" else EDIT_TOOL
    generated = tuple(m.generated_entry() for m in media)
    return Step(kind, tool, args, result, draft, canvas, media, generated, text)


def draft_facts(draft: Draft) -> dict[str, Any]:
    """What a tool result reports about a draft: counts and the duration."""
    return {
        "duration_ms": draft.duration,
        "tracks": len(draft.tracks),
        "segments": sum(len(t.segments) for t in draft.tracks),
        "summary": draft.summary(),
    }


def safe_canvas(canvas: tuple[int, int]) -> tuple[int, int]:
    """``canvas`` scaled down (even sides) to fit 1920x1080 / 1080x1920; 1920x1080 if unusable."""
    width, height = canvas
    if width < MIN_SIDE or height < MIN_SIDE:
        return (1920, 1080)
    scale = min(1.0, MAX_LONG_SIDE / max(width, height), MAX_SHORT_SIDE / min(width, height))
    width, height = int(width * scale) // 2 * 2, int(height * scale) // 2 * 2
    return (max(MIN_SIDE, width), max(MIN_SIDE, height))
