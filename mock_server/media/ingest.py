"""Uploads end to end: stage the bytes, probe them, check them, describe them.

Either every file of a request is accepted, or none is and every staged byte
is removed; the session is only touched by the caller once this succeeds.
"""

from __future__ import annotations

# PyAV and httpx are imported where they are first needed, not at start-up:
# together they cost about a quarter of a second of the mock's 2-second start budget.
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import anyio.to_thread
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nemo_mock.mock_server.domain.clock import Clock
from nemo_mock.mock_server.domain.errors import BadRequest
from nemo_mock.mock_server.domain.ids import IdFactory
from nemo_mock.mock_server.domain.media import MediaFile, check_content
from nemo_mock.mock_server.domain.validation import describe_errors
from nemo_mock.mock_server.media.multipart import FILES_FIELD, MultipartReader
from nemo_mock.mock_server.media.staging import StagedFile, Staging

if TYPE_CHECKING:
    from nemo_mock.mock_server.media.probe import ProbeResult

MAX_JSON_BODY = 64 * 1024
MAX_URLS = 20


class UrlUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    urls: list[str] = Field(min_length=1, max_length=MAX_URLS)
    source_type: str = "url"


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    fetch_timeout: float = 30.0
    max_parts: int = 20


class UploadIngest:
    def __init__(self, root: Path, ids: IdFactory, clock: Clock, limits: UploadLimits) -> None:
        self.root = root
        self._ids = ids
        self._clock = clock
        self.limits = limits

    async def receive(
        self,
        content_type: str,
        body: AsyncIterator[bytes],
        cdn_base: str,
        *,
        file_field: str = FILES_FIELD,
        on_fields: Callable[[dict[str, str]], None] | None = None,
    ) -> list[MediaFile]:
        """Stage, probe and describe the files; ``on_fields`` sees a multipart body's text
        fields once the files are staged and may refuse them all by raising."""
        staging = Staging(self.root, self._ids, self.limits.max_bytes)
        try:
            staged, fields = await self._stage(content_type, body, staging, file_field)
            if on_fields is not None:
                on_fields(fields)
            return [await self._describe(f, cdn_base) for f in staged]
        except BaseException:
            staging.discard()
            raise

    async def _stage(
        self, content_type: str, body: AsyncIterator[bytes], staging: Staging, file_field: str
    ) -> tuple[list[StagedFile], dict[str, str]]:
        mime = content_type.split(";")[0].strip().lower()
        if mime == "multipart/form-data":
            reader = MultipartReader(content_type, staging, file_field, self.limits.max_parts)
            return await reader.read(body), reader.fields
        if mime == "application/json" or mime.endswith("+json"):
            from nemo_mock.mock_server.media.fetch import fetch_all

            request = _parse_url_upload(await _read_small(body))
            return await fetch_all(request.urls, staging, timeout=self.limits.fetch_timeout), {}
        raise BadRequest(
            f"upload needs Content-Type multipart/form-data (parts named '{file_field}') or "
            f'application/json {{"urls": [...], "source_type": "url"}}; got {mime or "none"!r}'
        )

    async def _describe(self, staged: StagedFile, cdn_base: str) -> MediaFile:
        found, why = await anyio.to_thread.run_sync(_inspect, staged.path)
        check_content(staged.filename, staged.promised, found.kind if found else None, why)
        assert found is not None  # check_content refused a file it could not read
        return MediaFile(
            file_id=staged.file_id,
            filename=staged.filename,
            file_type=found.kind,
            cdn_url=f"{cdn_base.rstrip('/')}/cdn/{staged.file_id}/{quote(staged.filename)}",
            duration=None if found.duration is None else round(found.duration, 3),
            width=found.width,
            height=found.height,
            fps=found.fps,
            hash=staged.sha256,
            size=staged.size,
            uploaded_at=self._clock.now(),
            storage_path=str(staged.path),
            rotation=found.rotation,
            transparent=found.ink is not None,
        )


def _inspect(path: Path) -> tuple[ProbeResult | None, str]:
    from nemo_mock.mock_server.media.intact import check_intact
    from nemo_mock.mock_server.media.probe import ProbeError, probe, sniff_kind

    if sniff_kind(path) is None:
        return None, "its first bytes match no accepted format"
    try:
        found = probe(path)
        check_intact(path, found.kind)
        return found, ""
    except ProbeError as exc:
        return None, str(exc)


def _parse_url_upload(raw: bytes) -> UrlUpload:
    try:
        return UrlUpload.model_validate_json(raw)
    except ValidationError as exc:
        raise BadRequest(f"invalid URL upload body: {describe_errors(exc.errors())}") from None


async def _read_small(body: AsyncIterator[bytes]) -> bytes:
    data = b""
    async for chunk in body:
        data += chunk
        if len(data) > MAX_JSON_BODY:
            raise BadRequest(f"JSON upload body larger than {MAX_JSON_BODY} bytes")
    return data
