"""Tools over media and output: upload, frames, review, render and its status."""

from __future__ import annotations

import base64
import json
import mimetypes
from collections.abc import AsyncIterator
from typing import Any

import mcp_types as types

from nemo_mock.mock_server.domain.errors import InvalidDraft
from nemo_mock.mock_server.domain.renders import RenderJob, RenderStatus
from nemo_mock.mock_server.faults.overrides import render_overrides
from nemo_mock.mock_server.surfaces.mcp import faults
from nemo_mock.mock_server.surfaces.mcp.surface import McpSurface, Principal

Result = tuple[dict[str, Any], list[Any]]
REVIEW_FRAMES = 4


async def upload_asset(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    project = mcp.project(who, args["project_id"]) if "project_id" in args else None
    session = mcp.session_of(project) if project else mcp.asset_session(who)
    body = json.dumps({"urls": [args["download_url"]], "source_type": "url"}).encode()

    async def stream() -> AsyncIterator[bytes]:
        yield body

    files = await mcp.mock.uploads.receive("application/json", stream(), who.base_url)
    mcp.backend.record_uploads(session, files)
    media = files[0]
    if project is not None:
        mcp.sync(project)
    mime = mimetypes.guess_type(media.filename)[0] or f"{media.file_type}/octet-stream"
    return {
        "file_id": media.file_id,
        "mime_type": mime,
        "url": f"asset://{media.file_id}",
        "kind": media.file_type,
        "filename": media.filename,
        "duration": media.duration,
        "width": media.width,
        "height": media.height,
        "project_version": project.version if project else None,
    }, []


async def get_project_frame(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    project = mcp.project(who, args["project_id"])
    frame = args["frame"]
    png = await mcp.frames.png(project, frame)
    data = {
        "project_id": project.project_id,
        "version": project.version,
        "frame": frame,
        "time_ms": frame * 1000 // project.draft.fps,
        "width": project.draft.width,
        "height": project.draft.height,
    }
    return data, [_image(png)]


async def review_v3_draft(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    project = mcp.project(who, args["project_id"])
    count = project.draft.frame_count()
    wanted = min(args.get("max_frames", REVIEW_FRAMES), count)
    picks = sorted({(2 * i + 1) * count // (2 * wanted) for i in range(wanted)})
    frames, images = [], []
    for frame in picks:
        images.append(_image(await mcp.frames.png(project, frame)))
        frames.append({"frame": frame, "time_ms": frame * 1000 // project.draft.fps})
    return {"project_id": project.project_id, "version": project.version, "frames": frames}, images


async def render_video(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    who.require_plan("starter", "render_video")
    project = mcp.project(who, args["project_id"])
    draft = project.render_draft
    if draft is None or not draft.export_ready:
        raise InvalidDraft(
            "the saved draft has nothing to render: save a draft with at least one clip "
            "holding media or text first"
        )
    backend = mcp.backend
    job = RenderJob(
        render_id=f"render_{backend.rng.getrandbits(64):016x}",
        user_id=who.user_id,
        session_id=project.session_id,
        draft=draft,
        quality=args.get("quality", "high"),
        output_key=backend.ids.render_output(),
        created_at=backend.clock.now(),
    )
    backend.renders.create(job)
    mcp.mock.renders.enqueue(job, render_overrides(faults.active()))
    mcp.render_projects[job.render_id] = project.project_id
    return render_json(mcp, who, job), []


async def get_render_status(mcp: McpSurface, who: Principal, args: dict[str, Any]) -> Result:
    job = mcp.backend.renders.get(who.user_id, args["render_id"])
    return render_json(mcp, who, job), []


def render_json(mcp: McpSurface, who: Principal, job: RenderJob) -> dict[str, Any]:
    done = job.status is RenderStatus.COMPLETED
    url = f"{who.base_url}/cdn/renders/{job.output_key}/{job.render_id}.mp4" if done else None
    return {
        "render_id": job.render_id,
        "project_id": mcp.render_projects.get(job.render_id, ""),
        "status": job.status.value,
        "progress": job.progress,
        "download_url": url,
        "error": job.error,
    }


def _image(png: bytes) -> types.ImageContent:
    return types.ImageContent(data=base64.b64encode(png).decode(), mime_type="image/png")
