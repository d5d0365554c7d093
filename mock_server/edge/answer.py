"""Answering from a middleware, before (or instead of) any route: the error envelope as a
whole ASGI response, with the status the error style gives the code."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from nemo_mock.mock_server.domain.errors import NemoError
from nemo_mock.mock_server.edge.envelope import failure


async def refuse(
    exc: NemoError, scope: Scope, receive: Receive, send: Send, *, close: bool = False
) -> None:
    """Send ``exc`` as the envelope with its HTTP status (these codes are plain HTTP codes:
    the same in both error styles); ``close`` ends the connection after it (a body was left
    unread)."""
    headers = {} if exc.retry_after is None else {"Retry-After": str(exc.retry_after)}
    if close:
        headers["Connection"] = "close"
    response = JSONResponse(
        failure(exc.code, exc.message, exc.data), status_code=exc.code, headers=headers
    )
    await response(scope, receive, send)
