"""``Deprecation``: a response header for what the documents call deprecated (§8).

A route or dependency marks the request (``mark_deprecated``); ``DeprecationHeader``, pure
ASGI around the routes, adds ``Deprecation: true`` to the response's head when it goes
out, whatever the response is (JSON, a stream, a file). The value is the widely deployed
form of the IETF deprecation header (RFC 9745 later made it a date; the documents give
none).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nemo_mock.mock_server.edge.scope import note

#: The scope key a route sets when the request used something deprecated.
DEPRECATED = "nemo_mock.deprecated"
HEADER = (b"deprecation", b"true")


def mark_deprecated(scope: MutableMapping[str, Any], what: str) -> None:
    """Answer this request with ``Deprecation: true``; ``what`` says why (journal notes)."""
    scope[DEPRECATED] = what
    note(scope, deprecated=what)


class DeprecationHeader:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and scope.get(DEPRECATED):
                message = {**message, "headers": [*message.get("headers", []), HEADER]}
            await send(message)

        await self.app(scope, receive, sending)
