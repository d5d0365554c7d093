"""The documented shapes of a render job (§4.8), all at once or one at a time.

``union`` (default) carries every documented field together; ``skill``: top-level
``status`` and ``output.url``; ``reference``: ``success`` + ``data`` with epoch-ms
times; ``legacy``: ``taskId``, ``status``, ``progress``, ``output``.
"""

from __future__ import annotations

from typing import Any

from nemo_mock.mock_server.domain.clock import epoch_ms
from nemo_mock.mock_server.domain.eras import RenderShape
from nemo_mock.mock_server.domain.renders import RenderJob, RenderStatus


def output_url(job: RenderJob, base_url: str) -> str | None:
    if job.status is not RenderStatus.COMPLETED:
        return None
    return f"{base_url}/cdn/renders/{job.output_key}/{job.render_id}.mp4"


def render_body(job: RenderJob, shape: RenderShape, base_url: str) -> dict[str, Any]:
    url = output_url(job, base_url)
    output = {"url": url, "duration": job.output_duration, "size": job.output_size}
    data = {
        "id": job.render_id,
        "status": job.status.value,
        "progress": job.progress,
        "outputUrl": url,
        "createdAt": epoch_ms(job.created_at),
        "completedAt": epoch_ms(job.completed_at) if job.completed_at else None,
        "error": job.error,
    }
    if shape == "skill":
        return {
            "id": job.render_id,
            "status": job.status.value,
            "progress": job.progress,
            "output": output,
            "error": job.error,
        }
    if shape == "reference":
        return {"success": True, "data": data}
    if shape == "legacy":
        return {
            "taskId": job.render_id,
            "status": job.status.value,
            "progress": job.progress,
            "output": output,
            "error": job.error,
        }
    return {
        "success": True,
        "code": 0,
        "taskId": job.render_id,
        "id": job.render_id,
        "status": job.status.value,
        "progress": job.progress,
        "output": output,
        "error": job.error,
        "data": data,
    }
