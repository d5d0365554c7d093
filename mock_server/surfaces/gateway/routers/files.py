"""``POST /files/upload``: one multipart ``file`` part and a ``session_id`` field."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from nemo_mock.mock_server.deps import public_base, uploading
from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.errors import BadRequest
from nemo_mock.mock_server.domain.sessions import Session
from nemo_mock.mock_server.domain.tokens import AccessToken
from nemo_mock.mock_server.edge.envelope import ok

router = APIRouter(tags=["files"])


class _SessionField:
    """Finds the session a form names, once the files are staged (so a refusal discards
    them): 400 without ``session_id``, 1002 for a session that is not the caller's."""

    def __init__(self, backend: NemoBackend, token: AccessToken) -> None:
        self._backend, self._token = backend, token
        self.session: Session | None = None

    def __call__(self, fields: dict[str, str]) -> None:
        session_id = fields.get("session_id", "").strip()
        if not session_id:
            raise BadRequest("the form lacks a session_id field: send the session to upload to")
        self.session = self._backend.session_for(self._token, "me", session_id)


@router.post("/files/upload")
async def upload_file(request: Request) -> dict[str, Any]:
    ctx, token = await uploading(request)
    target = _SessionField(ctx.backend, token)
    content_type = request.headers.get("content-type", "")
    files = await ctx.uploads.receive(
        content_type, request.stream(), public_base(request), file_field="file", on_fields=target
    )
    assert target.session is not None  # receive() called it or raised
    ctx.backend.record_uploads(target.session, files)
    first = files[0]
    return ok(
        {
            "file_id": first.file_id,
            "filename": first.filename,
            "url": first.cdn_url,
            "file_type": first.file_type,
            "session_id": target.session.session_id,
        }
    )
