"""URL uploads: fetch over http(s) into a ``FileSink`` with the same limits as multipart."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import anyio.to_thread
import httpx

from mock_server.domain.errors import UrlFetchFailed
from mock_server.domain.media import ACCEPTED_EXTENSIONS
from mock_server.media.staging import StagedFile, Staging

CHUNK = 256 * 1024
EXTRA_TYPES = {
    "audio/mpeg": ".mp3",
    "audio/aac": ".aac",
    "audio/x-m4a": ".m4a",
    "image/jpeg": ".jpg",
}


def filename_for(url: str, content_type: str | None) -> str:
    """The URL's last path component, or a name whose extension the Content-Type implies."""
    name = PurePosixPath(unquote(urlsplit(url).path)).name
    if PurePosixPath(name).suffix.lower() in ACCEPTED_EXTENSIONS:
        return name
    mime = (content_type or "").split(";")[0].strip().lower()
    ext = EXTRA_TYPES.get(mime) or mimetypes.guess_extension(mime) or ""
    return f"{name or 'download'}{ext}"


async def fetch_into(url: str, staging: Staging, *, timeout: float) -> StagedFile:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise UrlFetchFailed(f"cannot fetch {url!r}: only http and https URLs are supported")
    try:
        async with (
            httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise UrlFetchFailed(f"GET {url} answered HTTP {response.status_code}, not 200")
            sink = staging.open(filename_for(url, response.headers.get("content-type")))
            async for chunk in response.aiter_bytes(CHUNK):
                await anyio.to_thread.run_sync(sink.write, chunk)
            return sink.finish()
    except httpx.TimeoutException:
        raise UrlFetchFailed(f"GET {url} timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise UrlFetchFailed(f"GET {url} failed: {exc or type(exc).__name__}") from None
