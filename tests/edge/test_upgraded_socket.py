"""A WebSocket outlives the HTTP header deadline (``--header-timeout``): once the upgrade is
done the connection is no HTTP connection any more, and nothing may write an HTTP 408 into
it. (It did: the deadline armed by the upgrade request fired ``header_timeout`` seconds into
every chat socket and wrote ``HTTP/1.1 408`` between the frames; the client read "reserved
bits must be 0". Found with ``slow_frames``, whose turns outlast 10 s.) On either of
uvicorn's parsers (``--http``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
import websockets

from nemo_mock.client_tests.live_mock import LiveMock
from tests.edge.parsers import PARSERS, mock_on_parser

pytestmark = pytest.mark.live
HEADER_TIMEOUT_S = 0.5


@pytest.fixture(scope="module", params=PARSERS)
def mock(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[LiveMock]:
    """A mock on one of uvicorn's parsers (``--http``) whose header deadline is short."""
    yield from mock_on_parser(request, tmp_path_factory, "--header-timeout", str(HEADER_TIMEOUT_S))


def _socket_url(mock: LiveMock) -> str:
    token = httpx.post(f"{mock.url}/_mock/tokens", json={"scopes": ["*"], "credits": 50})
    auth = {"Authorization": f"Bearer {token.json()['token']}"}
    made = httpx.post(f"{mock.url}/projects", json={"create_session": True}, headers=auth)
    session_id = made.json()["data"]["session"]["session_id"]
    base = mock.url.replace("http://", "ws://")
    return f"{base}/ws/chat?token={token.json()['token']}&session_id={session_id}"


async def _pings_after_quiet(url: str, quiet_s: float, pings: int) -> list[str]:
    """Wait for session_ready, stay quiet past the header deadline, then ping: the frames
    answered (a corrupted stream raises instead)."""
    answered: list[str] = []
    async with websockets.connect(url) as ws:
        while json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] != "session_ready":
            pass
        for _ in range(pings):
            await asyncio.sleep(quiet_s)
            await ws.send(json.dumps({"type": "ping"}))
            answered.append(json.loads(await asyncio.wait_for(ws.recv(), 10))["type"])
    return answered


def test_a_socket_quiet_past_the_header_deadline_still_gets_whole_frames(mock: LiveMock):
    url = _socket_url(mock)
    answered = asyncio.run(_pings_after_quiet(url, HEADER_TIMEOUT_S * 3, pings=2))
    assert answered == ["pong", "pong"]
