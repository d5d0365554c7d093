"""The gateway's JSON for domain objects: pure functions, one per thing the CLI reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nemo_mock.mock_server.domain.credits import Balance
from nemo_mock.mock_server.domain.media import MediaFile
from nemo_mock.mock_server.domain.projects import Project
from nemo_mock.mock_server.domain.renders import RenderJob, RenderStatus
from nemo_mock.mock_server.domain.sessions import Session
from nemo_mock.mock_server.domain.usage import UsageEntry, UsagePage


def iso(instant: datetime) -> str:
    return instant.isoformat().replace("+00:00", "Z")


def balance_json(balance: Balance, consumed: int, granted: int) -> dict[str, int]:
    return {**balance.to_json(), "total_consumed": consumed, "total_granted": granted}


def project_json(project: Project) -> dict[str, Any]:
    return {
        "project_id": project.project_id,
        "user_id": project.user_id,
        "name": project.name,
        "created_at": iso(project.created_at),
        "updated_at": iso(project.updated_at),
        "cover_assets": [],
        "deleted_at": None,
    }


def session_json(session: Session, running: bool) -> dict[str, Any]:
    return {
        "session_id": session.session_id,
        "project_id": session.task_id,
        "status": "running" if running else "idle",
        "created_at": iso(session.created_at),
    }


def file_json(media: MediaFile) -> dict[str, Any]:
    return {
        "file_id": media.file_id,
        "filename": media.filename,
        "file_type": media.file_type,
        "cdn_url": media.cdn_url,
        "s3_key": f"userdata/{media.file_id}/{media.filename}",
    }


def frontend_state(project: Project) -> dict[str, Any]:
    session = project.latest_session
    state = session.state
    return {
        "project_id": project.project_id,
        "session_id": session.session_id,
        "project": {
            "timeline_draft": state.draft.to_wire(),
            "canvas_config": state.canvas.to_json(),
            "files:uploads": [file_json(f) for s in project.sessions for f in s.state.video_infos],
        },
    }


def output_url(job: RenderJob, base_url: str) -> str | None:
    if job.status is not RenderStatus.COMPLETED:
        return None
    return f"{base_url}/cdn/renders/{job.output_key}/{job.render_id}.mp4"


def render_json(job: RenderJob, base_url: str) -> dict[str, Any]:
    url = output_url(job, base_url)
    return {
        "id": job.render_id,
        "render_id": job.render_id,
        "status": job.status.value,
        "progress": job.progress,
        "outputUrl": url,
        "output": {"url": url, "size": job.output_size, "duration": job.output_duration},
        "error": job.error,
    }


def download_json(project: Project, job: RenderJob | None, base_url: str) -> dict[str, Any]:
    output = None
    if job is not None:
        output = {
            "url": output_url(job, base_url),
            "size": job.output_size,
            "duration": job.output_duration,
        }
    return {
        "project_id": project.project_id,
        "render_id": job.render_id if job else None,
        "output": output,
    }


def usage_item(entry: UsageEntry) -> dict[str, Any]:
    conv = entry.conversation
    return {
        "id": entry.entry_id,
        "kind": entry.kind.value,
        "amount_delta": entry.amount_delta,
        "created_at": iso(entry.created_at),
        "grant": {"source": entry.grant_source} if entry.grant_source is not None else None,
        "conversation": None
        if conv is None
        else {
            "conversation_id": conv.conversation_id,
            "project_id": conv.project_id,
            "session_id": conv.session_id,
            "user_message": conv.user_message,
            "user_message_hidden": conv.user_message_hidden,
            "tool_breakdown": [{"tool_key": key} for key in conv.tool_keys],
        },
    }


def usage_json(page: UsagePage) -> dict[str, Any]:
    return {
        "items": [usage_item(e) for e in page.items],
        "total": page.total,
        "page_no": page.page_no,
        "page_size": page.page_size,
        "total_pages": page.total_pages,
        "has_next": page.has_next,
    }
