"""What both MCP agents share: a headless OAuth sign-in with the official ``mcp`` SDK client
(dynamic registration, PKCE, the consent redirect followed without a browser), tool calls
read as ``(result, error)``, and the task's files served over HTTP for ``upload_asset``.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import httpx
import httpx2
from mcp.client.auth import OAuthClientProvider
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import (
    AuthorizationCodeResult,
    OAuthClientInformationFull,
    OAuthClientMetadata,
    OAuthToken,
)

REDIRECT = "http://localhost:3030/callback"
#: How often a retryable tool error is repeated (once, as §3 says of a 429), and the
#: back-off after a 5xx.
RETRIES = 1
BACKOFF_S = 1.0


@dataclass
class Storage:
    """The SDK's token storage, in memory; keeps every token set it was given."""

    tokens: OAuthToken | None = None
    client: OAuthClientInformationFull | None = None
    history: list[OAuthToken] = field(default_factory=list)

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens
        self.history.append(tokens)

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


class HeadlessBrowser:
    """Follows the authorisation redirect through the consent step; hands back the code."""

    def __init__(self) -> None:
        self.result: AuthorizationCodeResult | None = None
        self.error: str | None = None

    async def redirect(self, url: str) -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.get(url)
            while response.status_code in (302, 303, 307) and not response.headers[
                "location"
            ].startswith(REDIRECT):
                response = await http.get(httpx.URL(url).join(response.headers["location"]))
        query = parse_qs(urlsplit(response.headers.get("location", "")).query)
        if "code" in query:
            self.result = AuthorizationCodeResult(
                code=query["code"][0], state=query.get("state", [None])[0]
            )
        else:
            self.error = query.get("error", [response.text])[0]

    async def callback(self) -> AuthorizationCodeResult:
        if self.result is None:
            raise RuntimeError(f"sign-in refused: {self.error}")
        return self.result


@dataclass
class Reply:
    """A tool's answer: ``data`` (structuredContent) or ``error`` (the tool error's body)."""

    data: dict[str, Any] | None
    error: dict[str, Any] | None
    images: list[bytes]

    @property
    def status(self) -> int | None:
        return self.error.get("status") if self.error else None


class Agent:
    """A signed-in MCP session: ``call`` a tool, get a ``Reply``. A retryable tool error
    (429, 5xx) is repeated with the same arguments ``RETRIES`` time(s): after the
    429's ``retry_after``, or a doubling back-off from ``BACKOFF_S``, both times the time
    scale (``NEMO_CHECK_TIME_SCALE``, what ``check-client`` sets)."""

    def __init__(self, client: Client, storage: Storage, url: str, log: Any) -> None:
        self.client = client
        self.storage = storage
        self.url = url
        self.log = log
        self.time_scale = float(os.environ.get("NEMO_CHECK_TIME_SCALE", "1") or 1)

    async def call(self, name: str, arguments: dict[str, Any]) -> Reply:
        reply = await self.call_once(name, arguments)
        for attempt in range(RETRIES):
            if reply.error is None or not reply.error.get("retryable"):
                break
            wait = reply.error.get("retry_after") or BACKOFF_S * 2**attempt
            self.log(f"{name}: retryable {reply.status}; again in {wait} s (scaled)")
            await anyio.sleep(float(wait) * self.time_scale)
            reply = await self.call_once(name, arguments)
        return reply

    async def call_once(self, name: str, arguments: dict[str, Any]) -> Reply:
        import base64

        result = await self.client.call_tool(name, arguments)
        images = [base64.b64decode(c.data) for c in result.content if c.type == "image"]
        if result.is_error:
            texts = [c.text for c in result.content if c.type == "text"]
            text = texts[0] if texts else "{}"
            try:
                error = json.loads(text).get("error") or {"message": text}
            except ValueError:
                error = {"message": text}
            self.log(f"{name}: error {error.get('status')} {error.get('message')}")
            return Reply(None, error, images)
        self.log(f"{name}: ok")
        return Reply(result.structured_content or {}, None, images)


@asynccontextmanager
async def signed_in(url: str, log: Any, name: str = "nemo-mock agent") -> AsyncIterator[Agent]:
    storage, browser = Storage(), HeadlessBrowser()
    auth = OAuthClientProvider(
        server_url=f"{url}/mcp",
        client_metadata=OAuthClientMetadata(
            client_name=name,
            redirect_uris=[REDIRECT],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
        ),
        storage=storage,
        redirect_handler=browser.redirect,
        callback_handler=browser.callback,
    )
    http = httpx2.AsyncClient(auth=auth, timeout=120)
    async with http, Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client:
        yield Agent(client, storage, url, log)


@contextmanager
def served(files: list[Path]) -> Any:
    """The task's files over HTTP on 127.0.0.1 (``upload_asset`` takes a download URL)."""
    folder = files[0].parent if files else Path.cwd()
    handler = partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass
