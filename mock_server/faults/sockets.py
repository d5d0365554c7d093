"""Faults on a WebSocket handshake (the gateway's chat, ``gateway.chatSocket``).

The kinds that apply to any operation act on a socket too, at its handshake:

* ``error=CODE``: an auth code (1001, 1010, 1011) accepts and closes with 4001, 1002
  with 4002 (what the CLI reads as "invalid token" and "missing session"); an HTTP
  status (403, 429, 502, 503, 504, …) refuses the upgrade with that status and a JSON
  body whose ``reason`` is the message (a 403 whose reason says the token was revoked or
  expired is an auth failure to the CLI; any other 403, and 502-504, it retries);
* ``drop``: accepts, then closes with 1011 before ``session_ready`` (the CLI's one
  reconnect);
* ``latency`` delays the handshake; ``expire_token``/``advance_clock`` act, then the
  socket goes on.

The socket kinds (``faults.kinds``, acts ``socket``) act on an accepted socket, between the
chat and the client, through a ``SocketTap``: ``socket_close`` closes it with its code after
N frames (the chat sees the client gone; the turn's work goes on, as on a real drop),
``socket_abort`` ends it after N frames without a close frame (the tap sends no close and
the chat returns: the server then closes the TCP connection, and the client reads 1006),
``no_ready`` and ``no_done`` hold those frames back, ``slow_frames`` waits before each frame.
``ask_question`` acts in the chat itself (``surfaces/gateway/chat.py`` reads the action).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qs

from starlette.types import Message, Receive, Scope, Send

from nemo_mock.mock_server.edge.errors import http_status
from nemo_mock.mock_server.edge.scope import note
from nemo_mock.mock_server.faults.actions import FaultAction
from nemo_mock.mock_server.faults.kinds import DEFAULT_CLOSE_AFTER
from nemo_mock.mock_server.settings import ErrorStyle

CLOSE_AUTH = 4001
CLOSE_SESSION = 4002
CLOSE_DROPPED = 1011
#: What a client reads when the connection ends without a close frame (RFC 6455 §7.1.5).
CLOSE_ABNORMAL = 1006
AUTH_CODES = frozenset({1001, 1010, 1011})


async def refuse_socket(
    code: int, message: str, style: ErrorStyle, receive: Receive, send: Send
) -> None:
    """Act out ``error=code`` on a socket that has not been accepted yet."""
    await receive()  # websocket.connect
    if code in AUTH_CODES or code == 1002:
        await send({"type": "websocket.accept"})
        close = CLOSE_AUTH if code in AUTH_CODES else CLOSE_SESSION
        await send({"type": "websocket.close", "code": close, "reason": _reason(message)})
        return
    status = code if 400 <= code <= 599 else http_status(code, "http")
    body = json.dumps({"code": code, "message": message, "reason": message}).encode()
    start = {
        "type": "websocket.http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json")],
    }
    await send(start)
    await send({"type": "websocket.http.response.body", "body": body})


async def drop_socket(receive: Receive, send: Send) -> None:
    """Accept, then close at once: the client never sees ``session_ready``."""
    await receive()
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": CLOSE_DROPPED, "reason": "dropped (fault)"})


class SocketGone(OSError):
    """A frame sent after the fault closed the socket (starlette reads an ``OSError`` from
    ``send`` as the client gone: ``WebSocketDisconnect(1006)``)."""


class SocketTap:
    """One socket's fault, between the chat (the app) and the client."""

    def __init__(self, action: FaultAction, rule_id: str, scope: Scope | None = None) -> None:
        self.close_code = action.socket_close
        self.close_after = DEFAULT_CLOSE_AFTER if action.after is None else action.after
        self.abort = action.socket_abort is not None
        if action.socket_abort is not None:
            self.close_code, self.close_after = CLOSE_ABNORMAL, action.socket_abort
        self.scope = scope
        self.held = {
            name
            for name, on in (("session_ready", action.no_ready), ("done", action.no_done))
            if on
        }
        self.delay_s = (action.slow_frames_ms or 0) / 1000
        self.reason = f"closed (nemo-mock fault {rule_id})"
        self.sent = 0
        self.closed = asyncio.Event()

    async def receive(self, receive: Receive) -> Message:
        """The client's frames, or a disconnect once the fault has closed the socket."""
        if self.closed.is_set():
            return self._gone()
        incoming = asyncio.ensure_future(receive())
        closing = asyncio.ensure_future(self.closed.wait())
        done, _ = await asyncio.wait({incoming, closing}, return_when=asyncio.FIRST_COMPLETED)
        if incoming in done:
            closing.cancel()
            message: Message = incoming.result()
            return message
        incoming.cancel()
        return self._gone()

    async def send(self, message: Message, send: Send) -> None:
        if self.closed.is_set():
            raise SocketGone("the socket was closed by a fault")
        kind = message["type"]
        if kind == "websocket.send":
            if _frame_type(message) in self.held:
                return
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            await send(message)
            self.sent += 1
        else:
            await send(message)
        if kind in ("websocket.accept", "websocket.send") and self._due():
            await self._close(send)

    def _due(self) -> bool:
        return self.close_code is not None and self.sent >= self.close_after

    async def _close(self, send: Send) -> None:
        self.closed.set()
        assert self.close_code is not None
        if self.abort:  # no close frame: the app returns, and the server ends the connection
            if self.scope is not None:
                note(self.scope, close_code=CLOSE_ABNORMAL, aborted=True)
            return
        await send({"type": "websocket.close", "code": self.close_code, "reason": self.reason})

    def _gone(self) -> Message:
        return {"type": "websocket.disconnect", "code": self.close_code or 1006}


def url_token(scope: Scope) -> str | None:
    """The token a socket's URL carries (``?token=``), the gateway's design."""
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    return query.get("token", [None])[0]


def _frame_type(message: Message) -> Any:
    try:
        frame = json.loads(message.get("text") or "")
    except ValueError:
        return None
    return frame.get("type") if isinstance(frame, dict) else None


def _reason(message: str) -> str:
    return message.encode()[:120].decode("utf-8", "ignore")
