"""``plan_render``: a draft in, a ready-to-run ffmpeg command out (no ffmpeg run, no files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nemo_mock.mock_server.domain.drafts import Draft
from nemo_mock.mock_server.render.canvas import DEFAULT_FPS, canvas_for
from nemo_mock.mock_server.render.errors import RenderError
from nemo_mock.mock_server.render.graph import build_graph, compile_args
from nemo_mock.mock_server.render.layout import build_timeline
from nemo_mock.mock_server.render.media import ResolvedMedia, Resolver
from nemo_mock.mock_server.render.quality import QUALITY_SETTINGS, Quality
from nemo_mock.mock_server.render.room import with_caption_room


@dataclass(frozen=True)
class RenderPlan:
    """Everything :func:`run_render` needs.

    ``args`` end with ``output``; ``text_files`` maps each caption file the filter graph reads
    to its content: :func:`run_render` writes them before running ffmpeg and removes them after.
    ``sources`` maps each input file's path to the draft ``src`` it came from, so a failure
    names the source, never the path.
    """

    args: list[str]
    width: int
    height: int
    fps: int
    duration_ms: int
    output: Path
    text_files: dict[Path, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def plan_render(
    draft: Draft,
    resolve: Resolver,
    output: Path,
    *,
    quality: Quality = "high",
    canvas: tuple[int, int] | None = None,
) -> RenderPlan:
    """Plan the render of ``draft`` to ``output``.

    Pure apart from calling ``resolve`` for every segment's ``src`` (which raises
    ``MissingMedia``). Raises :class:`RenderError` for a draft with nothing to render.
    """
    if quality not in QUALITY_SETTINGS:
        raise RenderError(f"unknown quality {quality!r}: use high, medium or low")
    if draft.duration <= 0 or not draft.export_ready:
        raise RenderError("nothing to render: the draft has no segments or a zero duration")
    size = canvas_for(draft, canvas)
    fps = draft.meta.fps or DEFAULT_FPS
    sources: dict[str, str] = {}

    def resolve_named(src: str) -> ResolvedMedia:
        found = resolve(src)
        sources.setdefault(str(found.path), src)
        return found

    timeline = with_caption_room(build_timeline(draft, resolve_named, size, fps))
    graph = build_graph(timeline, output)
    return RenderPlan(
        args=compile_args(graph, timeline, output, quality),
        width=size[0],
        height=size[1],
        fps=fps,
        duration_ms=draft.duration,
        output=output,
        text_files=graph.text_files,
        sources=sources,
    )
