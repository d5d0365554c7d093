"""``socket_abort=N``: the chat socket's connection ends with no WebSocket close frame, on a
live server (an in-process client has no TCP connection to lose)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets
from websockets.exceptions import ConnectionClosedError

from nemo_mock.client_tests.live_mock import LiveMock, start_mock

pytestmark = pytest.mark.live
BRIEF = "a 5 second coffee ad. Duration: 5 seconds"


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveMock]:
    live = start_mock("--time-scale", "0.01", data_dir=tmp_path_factory.mktemp("abort") / "d")
    yield live
    live.stop()


def _socket_url(mock: LiveMock) -> tuple[str, str]:
    key = httpx.post(f"{mock.url}/_mock/tokens", json={"scopes": ["*"], "credits": 500})
    token = key.json()["token"]
    made = httpx.post(
        f"{mock.url}/projects",
        json={"create_session": True},
        headers={"Authorization": f"Bearer {token}"},
    )
    session_id = made.json()["data"]["session"]["session_id"]
    base = mock.url.replace("http://", "ws://")
    return f"{base}/ws/chat?token={token}&session_id={session_id}", session_id


def _arm(mock: LiveMock, action: dict) -> None:
    rule = {"operation": "gateway.chatSocket", "action": action}
    assert httpx.post(f"{mock.url}/_mock/faults", json=rule).status_code == 201


async def _first_socket(url: str) -> tuple[list[str], ConnectionClosedError]:
    """Read frames (sending the brief after session_ready) until the connection goes."""
    seen: list[str] = []
    async with websockets.connect(url) as ws:
        try:
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
                seen.append(frame["type"])
                if frame["type"] == "session_ready":
                    await ws.send(json.dumps({"type": "message", "content": BRIEF}))
        except ConnectionClosedError as gone:
            return seen, gone
    raise AssertionError("the socket closed cleanly")


async def _resumed(url: str) -> list[str]:
    async with websockets.connect(url) as ws:
        seen: list[str] = []
        while not seen or seen[-1] != "done":
            seen.append(json.loads(await asyncio.wait_for(ws.recv(), 30))["type"])
        return seen


def test_the_connection_ends_without_a_close_frame_and_the_turn_goes_on(mock: LiveMock):
    url, session_id = _socket_url(mock)
    _arm(mock, {"socket_abort": 4})
    seen, gone = asyncio.run(_first_socket(url))
    assert seen == ["warming_up", "status", "session_ready", "message_accepted"]
    assert gone.rcvd is None and gone.sent is None  # no close frame either way: 1006
    rest = asyncio.run(_resumed(url))  # the prompt is not sent again
    assert "tool_end" in rest and rest[-1] == "done"
    entries = httpx.get(f"{mock.url}/_mock/journal").json()["entries"]
    cut = next(e for e in entries if e["operation"] == "gateway.chatSocket")
    assert cut["session_id"] == session_id
    assert cut["notes"]["close_code"] == 1006 and cut["notes"]["aborted"] is True
    assert cut["outcome"] == "dropped"


def test_a_close_fault_still_sends_its_close_frame(mock: LiveMock):
    url, _ = _socket_url(mock)
    _arm(mock, {"socket_close": 1011})
    _, gone = asyncio.run(_first_socket(url))
    assert gone.rcvd is not None and gone.rcvd.code == 1011


def test_the_form_reads_as_the_kind(tmp_path: Path):
    from nemo_mock.mock_server.faults.spec import parse_rule

    rule = parse_rule("operation=gateway.chatSocket socket_abort=6")
    assert rule.action.socket_abort == 6 and rule.action.kind == "socket_abort"
