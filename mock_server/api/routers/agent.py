"""§4.4 the agent: ``POST /run_sse``. Refusals are ordinary JSON; a turn is a stream."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse

from mock_server.api.deps import Context, Writer
from mock_server.api.models import RunSseRequest, parse_body
from mock_server.sse.events import SEPARATOR
from mock_server.sse.turns import Turn

router = APIRouter(tags=["agent"])


@router.post("/run_sse")
async def run_sse(request: Request, ctx: Context, token: Writer) -> EventSourceResponse:
    body = parse_body(await request.body(), RunSseRequest)
    turn = await ctx.turns.open(token, body.user_id, body.session_id, body.message)
    limit = ctx.settings.stream_limit_seconds
    return EventSourceResponse(_wire(turn, limit), ping=0, sep=SEPARATOR)


async def _wire(turn: Turn, limit: float) -> AsyncIterator[bytes]:
    """The turn's events as bytes, until the work is done or the hard stream limit passes
    (also while waiting for the next event). The work itself goes on either way."""
    deadline = time.monotonic() + limit
    events = turn.stream()
    while (left := deadline - time.monotonic()) > 0:
        try:
            event = await asyncio.wait_for(anext(events), timeout=left)
        except (TimeoutError, StopAsyncIteration):
            return
        yield event.encode()
