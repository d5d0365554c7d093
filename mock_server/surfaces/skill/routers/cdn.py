"""The mock's stand-in for the CDN: uploaded files at their ``cdn_url``, with Range."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request

from nemo_mock.mock_server.deps import mock_of
from nemo_mock.mock_server.edge.files import MediaFileResponse

router = APIRouter(tags=["media"])


@router.get("/cdn/{file_id}/{filename}")
async def get_media_file(file_id: str, filename: str, request: Request) -> MediaFileResponse:
    media = mock_of(request).backend.media_file(file_id, filename)
    return MediaFileResponse(
        Path(media.storage_path), filename=media.filename, content_disposition_type="inline"
    )
