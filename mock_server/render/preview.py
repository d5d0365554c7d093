"""``nemo-mock render``: the engine offline, for users who want to see a draft."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from nemo_mock.mock_server.domain.drafts import Draft, parse_draft
from nemo_mock.mock_server.domain.errors import NemoError
from nemo_mock.mock_server.media.ffmpeg import resolve_ffmpeg
from nemo_mock.mock_server.render import QUALITY_SETTINGS, RenderError, plan_render, run_render
from nemo_mock.mock_server.render.offline import offline_resolver

CACHE = Path(tempfile.gettempdir()) / "nemo-mock-cache"


def render_file(
    draft_path: Path,
    output: Path,
    *,
    quality: str,
    media_dirs: list[Path],
    canvas: str | None,
    ffmpeg: str,
) -> str:
    draft = _load(draft_path)
    if quality not in QUALITY_SETTINGS:
        raise typer.BadParameter(f"quality must be one of {', '.join(QUALITY_SETTINGS)}")
    resolver = offline_resolver(draft_path.parent, media_dirs, CACHE)
    try:
        plan = plan_render(
            draft,
            resolver,
            output,
            quality=quality,
            canvas=_canvas(canvas),
        )
        with Progress(
            TextColumn("rendering"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
        ) as bar:
            task = bar.add_task("render", total=1.0)
            run_render(
                plan,
                ffmpeg=resolve_ffmpeg(ffmpeg),
                on_progress=lambda done: bar.update(task, completed=done),
            )
    except RenderError as exc:
        raise typer.BadParameter(f"cannot render {draft_path}: {exc.reason}") from None
    size_mb = output.stat().st_size / 1e6
    return (
        f"wrote {output}: {plan.width}x{plan.height}, {plan.duration_ms / 1000:g} s, "
        f"{size_mb:.1f} MB (H.264 + AAC, quality {quality})"
    )


def _load(path: Path) -> Draft:
    try:
        raw: Any = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}") from None
    for key in ("data", "state", "draft"):  # a saved state answer holds data.state.draft
        if isinstance(raw, dict) and isinstance(raw.get(key), dict):
            raw = raw[key]
    try:
        return parse_draft(raw)
    except NemoError as exc:
        raise typer.BadParameter(exc.message) from None


def _canvas(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        width, height = (int(part) for part in value.lower().split("x"))
    except ValueError:
        raise typer.BadParameter(f"--canvas must look like 1080x1920, got {value!r}") from None
    return width, height
