"""A live mock (uvicorn in a thread, free port) and the official SDK client signed in headless."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import secrets
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import httpx2
import pytest
import uvicorn
from mcp.client.auth import OAuthClientProvider
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import (
    OAuthClientMetadata,
)

from nemo_mock.client_tests.mcp_agent.connection import HeadlessBrowser, Storage
from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ShiftableClock
from nemo_mock.mock_server.settings import Settings


def error_of(result: Any) -> dict[str, Any]:
    """The refusal a tool error carries: its one content block, JSON ``{"error": {...}}``."""
    assert result.is_error and result.structured_content is None
    error: dict[str, Any] = json.loads(result.content[0].text)["error"]
    return error


@dataclass
class LiveMcp:
    url: str
    app: Any
    clock: ShiftableClock

    @property
    def surface(self) -> Any:
        return self.app.state.mcp.surface

    def consent(self, **changes: Any) -> None:
        r = httpx.post(f"{self.url}/_mock/mcp/consent", json=changes, timeout=10)
        assert r.status_code == 200, r.text


@pytest.fixture
def live_mcp(tmp_path: Path) -> Iterator[LiveMcp]:
    settings = Settings(data_dir=tmp_path / "data", time_scale=0.0)
    clock = ShiftableClock()
    app = create_app(settings, clock=clock, rng=random.Random(7))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the mock did not start"
    try:
        yield LiveMcp(f"http://127.0.0.1:{port}", app, clock)
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def oauth_provider(
    url: str, storage: Storage, browser: HeadlessBrowser, scope: str | None = None
) -> OAuthClientProvider:
    return OAuthClientProvider(
        server_url=f"{url}/mcp",
        client_metadata=OAuthClientMetadata(
            client_name="nemo-mock tests",
            redirect_uris=["http://localhost:3030/callback"],  # type: ignore[list-item]
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            scope=scope,
        ),
        storage=storage,
        redirect_handler=browser.redirect,
        callback_handler=browser.callback,
    )


@asynccontextmanager
async def signed_in(
    url: str, storage: Storage | None = None, scope: str | None = None
) -> AsyncIterator[Client]:
    storage = storage or Storage()
    browser = HeadlessBrowser()
    http = httpx2.AsyncClient(auth=oauth_provider(url, storage, browser, scope), timeout=60)
    async with http, Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client:
        yield client


@pytest.fixture
def file_server(samples) -> Iterator[str]:
    """The sample media over HTTP on 127.0.0.1 (what upload_asset downloads)."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(samples.directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def token_by_hand(url: str, scope: str | None = None, http: Any = httpx) -> str:
    """The OAuth 2.1 flow with plain HTTP: register, authorise (PKCE S256), consent, token.

    ``http`` makes the requests: ``httpx`` itself, or a client (a ``TestClient``)."""
    redirect = "http://localhost:3030/callback"
    client = http.post(
        f"{url}/oauth/register",
        json={
            "redirect_uris": [redirect],
            "client_name": "by hand",
            "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            **({"scope": scope} if scope else {}),
        },
    ).json()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    query = {
        "response_type": "code",
        "client_id": client["client_id"],
        "redirect_uri": redirect,
        "code_challenge": challenge.decode().rstrip("="),
        "code_challenge_method": "S256",
        "state": "s1",
        **({"scope": scope} if scope else {}),
    }
    to_consent = http.get(f"{url}/oauth/authorize", params=query)
    assert to_consent.status_code == 302, to_consent.text
    back = http.get(str(httpx.URL(url).join(to_consent.headers["location"])))
    code = parse_qs(urlsplit(back.headers["location"]).query)["code"][0]
    tokens = http.post(
        f"{url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect,
            "client_id": client["client_id"],
            "code_verifier": verifier,
        },
    )
    assert tokens.status_code == 200, tokens.text
    return str(tokens.json()["access_token"])
