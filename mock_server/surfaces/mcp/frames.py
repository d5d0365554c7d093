"""Real frames of a saved V3 draft: the engine renders the draft (cached per version), ffmpeg
picks frame N out of it as a PNG. ``frame = floor(ms / 1000 * fps)``, zero-based."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio.to_thread

from nemo_mock.mock_server.domain.draft_v3.projects import V3Project
from nemo_mock.mock_server.domain.errors import BadRequest, InvalidDraft
from nemo_mock.mock_server.media import children
from nemo_mock.mock_server.media.ffmpeg import resolve_ffmpeg
from nemo_mock.mock_server.render import RenderError, plan_render, run_render
from nemo_mock.mock_server.render.sources import resolver_for

FRAME_TIMEOUT = 120


class FrameMaker:
    def __init__(self, mock: Any, folder: Path) -> None:
        self._mock = mock
        self._folder = folder
        self._ffmpeg = resolve_ffmpeg(mock.settings.ffmpeg)

    async def png(self, project: V3Project, frame: int) -> bytes:
        draft = project.draft
        count = draft.frame_count()
        if frame >= count:
            raise BadRequest(
                f"frame {frame} is past the draft's last frame {count - 1} "
                f"({draft.duration} ms at {draft.fps} fps: frame = floor(ms / 1000 * fps))"
            )
        return await anyio.to_thread.run_sync(self._png, project, frame)

    def _png(self, project: V3Project, frame: int) -> bytes:
        draft = project.render_draft
        size = f"{project.draft.width}x{project.draft.height}"
        if draft is None or not draft.export_ready:
            source = ["-f", "lavfi", "-i", f"color=c=black:s={size}:d=1"]
            return self._grab(source, 0)
        return self._grab(["-i", str(self._preview(project))], frame)

    def _preview(self, project: V3Project) -> Path:
        out = self._folder / project.project_id / f"v{project.version}.mp4"
        if out.is_file():
            return out
        out.parent.mkdir(parents=True, exist_ok=True)
        session = self._mock.backend.sessions.get(project.session_id, project.user_id)
        assert project.render_draft is not None
        try:
            plan = plan_render(
                project.render_draft,
                resolver_for(self._mock.backend, session, self._mock.renders.library_dir),
                out,
                quality="low",
                canvas=(project.draft.width, project.draft.height),
            )
            run_render(plan, ffmpeg=self._ffmpeg, timeout=FRAME_TIMEOUT)
        except RenderError as exc:
            raise InvalidDraft(f"the draft cannot be shown: {exc.reason}") from None
        return out

    def _grab(self, source: list[str], frame: int) -> bytes:
        command = [
            self._ffmpeg,
            "-v",
            "error",
            *source,
            "-vf",
            f"select=eq(n\\,{frame})",
            "-frames:v",
            "1",
            "-f",
            "image2pipe",
            "-c:v",
            "png",
            "-",
        ]
        done = children.run(command, capture_output=True, timeout=FRAME_TIMEOUT)
        if done.returncode != 0 or not done.stdout:
            reason = done.stderr.decode(errors="replace")[-300:]
            raise InvalidDraft(f"frame {frame} could not be extracted: {reason or 'no image'}")
        image: bytes = done.stdout
        return image
