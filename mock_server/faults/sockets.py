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
"""

from __future__ import annotations

import json

from starlette.types import Receive, Send

from mock_server.edge.errors import http_status
from mock_server.settings import ErrorStyle

CLOSE_AUTH = 4001
CLOSE_SESSION = 4002
CLOSE_DROPPED = 1011
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


def _reason(message: str) -> str:
    return message.encode()[:120].decode("utf-8", "ignore")
