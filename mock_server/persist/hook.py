"""The one place requests meet the durable store: an ASGI wrapper that flushes the state
before a response starts and before each further message it sends (a stream's events, a
WebSocket's frames), so nothing a client was told can be lost by a crash after it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Any, Any, Send], Awaitable[None]]


class WriteThrough:
    def __init__(self, app: ASGIApp, flush: Callable[[], object]) -> None:
        self.app = app
        self.flush = flush

    async def __call__(self, scope: Any, receive: Any, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return

        async def flushed(message: Message) -> None:
            self.flush()
            await send(message)

        await self.app(scope, receive, flushed)
