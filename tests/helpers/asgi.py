"""ASGI wrappers for tests."""

from __future__ import annotations

from typing import Any


class WithoutLifespan:
    """The app for schemathesis, which starts an ASGI lifespan per call: the skill surface
    needs none, and a surface's lifespan hook (MCP's session manager) runs only once."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
