"""§4.5 upload: multipart ``files`` parts, or JSON ``{"urls": [...]}``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from nemo_mock.mock_server.deps import public_base, uploading
from nemo_mock.mock_server.edge.envelope import ok

router = APIRouter(tags=["uploads"])


@router.post("/api/upload-video/nemo_agent/{user_id}/{session_id}")
async def upload_files(user_id: str, session_id: str, request: Request) -> dict[str, Any]:
    ctx, token = await uploading(request)
    session = ctx.backend.session_for(token, user_id, session_id)
    content_type = request.headers.get("content-type", "")
    with ctx.upload_slots.hold(token.user_id):
        files = await ctx.uploads.receive(content_type, request.stream(), public_base(request))
    ctx.backend.record_uploads(session, files)
    return ok({"files": [f.to_upload_json() for f in files], "session_state_applied": True})
