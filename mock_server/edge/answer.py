"""Answering from a middleware, before (or instead of) any route: the error envelope as a
whole ASGI response, built as every route's error is (``edge/errors.error_response``)."""

from __future__ import annotations

from starlette.types import Receive, Scope, Send

from nemo_mock.mock_server.domain.errors import NemoError
from nemo_mock.mock_server.edge.errors import error_response


async def refuse(
    exc: NemoError, scope: Scope, receive: Receive, send: Send, *, close: bool = False
) -> None:
    """Send ``exc`` as the envelope with its HTTP status (these codes are plain HTTP codes:
    the same in both error styles); ``close`` ends the connection after it (a body was left
    unread)."""
    response = error_response(exc, "http", scope.get("path", "/"))
    if close:
        response.headers["Connection"] = "close"
    await response(scope, receive, send)
