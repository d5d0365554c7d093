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


def with_deprecation(scope: Scope, message: Message) -> Message:
    """``message``, with ``Deprecation: true`` added (last) when it starts the response to a
    request marked deprecated."""
    if message["type"] == "http.response.start" and scope.get(DEPRECATED):
        return {**message, "headers": [*message.get("headers", []), HEADER]}
    return message


def deprecating(scope: Scope, send: Send) -> Send:
    """``send``, adding the header (``with_deprecation``) to what it sends."""

    async def sending(message: Message) -> None:
        await send(with_deprecation(scope, message))

    return sending


class DeprecationHeader:
    """The header for an app without a journal (``--no-control``): with one, the journal's
    own send wrapper adds it (``JournalMiddleware(deprecation=True)``, a wrapper less on
    every message; nothing between the two answers after a route marked its request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, deprecating(scope, send))
