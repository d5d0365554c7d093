"""URL uploads: fetch over http(s) into ``FileSink``s with the same limits as multipart.

Every URL is checked before anything is fetched (scheme, host, port, no control
characters), so a bad one is a 400 naming it. The URLs of one request are fetched
concurrently, at most ``FETCH_CONCURRENCY`` at once, under one deadline for the whole
request (``--url-fetch-timeout``): a source trickling a byte at a time cannot hold an
upload open past it.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from pathlib import PurePosixPath
from urllib.parse import SplitResult, unquote, urlsplit

import anyio
import anyio.to_thread
import httpx

from nemo_mock.mock_server.domain.errors import NemoError, UrlFetchFailed
from nemo_mock.mock_server.domain.media import ACCEPTED_EXTENSIONS
from nemo_mock.mock_server.media.staging import StagedFile, Staging

CHUNK = 256 * 1024
#: URLs of one request fetched at once.
FETCH_CONCURRENCY = 4
MAX_URL_LENGTH = 4096
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


def check_url(url: str) -> SplitResult:
    """The URL split, or :class:`UrlFetchFailed` saying what is wrong with it."""
    shown = _shown(url)
    if len(url) > MAX_URL_LENGTH:
        raise UrlFetchFailed(f"URL {shown} is longer than {MAX_URL_LENGTH} characters")
    bad = next((ch for ch in url if ord(ch) < 0x21 or ord(ch) == 0x7F), None)
    if bad is not None:
        raise UrlFetchFailed(
            f"URL {shown} contains a space or control character ({bad!r}): percent-encode it"
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlFetchFailed(f"URL {shown} is malformed: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UrlFetchFailed(f"cannot fetch {shown}: only http and https URLs are supported")
    if not parts.hostname:
        raise UrlFetchFailed(f"URL {shown} names no host")
    if port == 0:
        raise UrlFetchFailed(f"URL {shown} names port 0: ports are 1 to 65535")
    return parts


async def fetch_all(urls: Sequence[str], staging: Staging, *, timeout: float) -> list[StagedFile]:
    """Fetch ``urls`` concurrently into ``staging``, in their order, within ``timeout`` s."""
    for url in urls:
        check_url(url)
    results: dict[int, StagedFile] = {}
    limiter = anyio.CapacityLimiter(FETCH_CONCURRENCY)

    async def fetch_one(index: int, url: str, client: httpx.AsyncClient) -> None:
        async with limiter:
            results[index] = await _fetch(client, url, staging)

    try:
        with anyio.fail_after(timeout):
            async with (
                # no per-read timeout: the one deadline above covers connect, reads, all
                httpx.AsyncClient(timeout=None, follow_redirects=True) as client,
                anyio.create_task_group() as group,
            ):
                for index, url in enumerate(urls):
                    group.start_soon(fetch_one, index, url, client)
    except TimeoutError:
        unfinished = [_shown(url) for i, url in enumerate(urls) if i not in results]
        raise UrlFetchFailed(
            f"fetching the URLs took longer than the {timeout:g} s limit "
            f"(--url-fetch-timeout); unfinished: {', '.join(unfinished[:5])}"
        ) from None
    except BaseExceptionGroup as group:
        raise _first_refusal(group) from None
    return [results[index] for index in range(len(urls))]


async def _fetch(client: httpx.AsyncClient, url: str, staging: Staging) -> StagedFile:
    try:
        async with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise UrlFetchFailed(f"GET {url} answered HTTP {response.status_code}, not 200")
            sink = staging.open(filename_for(url, response.headers.get("content-type")))
            async for chunk in response.aiter_bytes(CHUNK):
                await anyio.to_thread.run_sync(sink.write, chunk)
            return sink.finish()
    except httpx.HTTPError as exc:
        raise UrlFetchFailed(f"GET {url} failed: {exc or type(exc).__name__}") from None
    except httpx.InvalidURL as exc:
        raise UrlFetchFailed(f"URL {_shown(url)} is malformed: {exc}") from None


def _first_refusal(group: BaseExceptionGroup) -> BaseException:
    """The first documented refusal in a task group's failure (else the failure itself)."""
    for exc in group.exceptions:
        found = _first_refusal(exc) if isinstance(exc, BaseExceptionGroup) else exc
        if isinstance(found, NemoError):
            return found
    return group


def _shown(url: str) -> str:
    return repr(url if len(url) <= 200 else url[:200] + "…")
